using DurableFlow.Api;
using DurableFlow.Executors;
using DurableFlow.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace DurableFlow.Tests.Api;

public class TreeApiServiceCollectionExtensionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(Mock.Of<ITreeIndex>());
        services.AddSingleton(new ExecutorRegistry([]));
        services.AddTreeApi(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void The_Api_section_binds_the_limits()
    {
        using var provider = Build(new() { ["Api:MaxRequestBytes"] = "2048", ["Api:MaxTasks"] = "10", ["Api:MaxDependenciesPerTask"] = "3" });
        var options = provider.GetRequiredService<IOptions<TreeApiOptions>>().Value;
        Assert.Equal((2048L, 10, 3), (options.MaxRequestBytes, options.MaxTasks, options.MaxDependenciesPerTask));
        Assert.NotNull(provider.GetRequiredService<TreeApi>());
    }

    [Fact]
    public void Defaults_are_8_MiB_20000_tasks_and_1000_dependencies()
    {
        using var provider = Build([]);
        var options = provider.GetRequiredService<IOptions<TreeApiOptions>>().Value;
        Assert.Equal((8L * 1024 * 1024, 20_000, 1000), (options.MaxRequestBytes, options.MaxTasks, options.MaxDependenciesPerTask));
    }

    [Fact]
    public void A_non_positive_limit_is_rejected()
    {
        using var provider = Build(new() { ["Api:MaxRequestBytes"] = "0" });
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<TreeApiOptions>>().Value);
    }
}
