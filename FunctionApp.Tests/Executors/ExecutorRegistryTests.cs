using System.Text.Json;
using DurableFlow.Executors;
using DurableFlow.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Moq;

namespace DurableFlow.Tests.Executors;

public class ExecutorRegistryTests
{
    private static ITaskExecutor Named(string name)
    {
        var executor = new Mock<ITaskExecutor>();
        executor.SetupGet(e => e.Name).Returns(name);
        return executor.Object;
    }

    [Fact]
    public void Looks_executors_up_by_exact_name_and_lists_them_sorted()
    {
        var b = Named("b_executor");
        var a = Named("a_executor");
        var registry = new ExecutorRegistry([b, a]);

        Assert.True(registry.TryGet("a_executor", out var found));
        Assert.Same(a, found);
        Assert.False(registry.TryGet("A_executor", out _));
        Assert.False(registry.TryGet("missing", out _));
        Assert.Equal(["a_executor", "b_executor"], registry.All.Select(e => e.Name));
        Assert.True(registry.Names.SetEquals(["a_executor", "b_executor"]));
        Assert.False(registry.Names.Contains("B_EXECUTOR"));
    }

    [Fact]
    public void Duplicate_names_fail_at_construction_naming_the_name()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ExecutorRegistry([Named("x"), Named("y"), Named("x")]));

        Assert.Contains("two executors are registered as 'x'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_names_fail_at_construction()
    {
        Assert.Throws<ArgumentException>(() => new ExecutorRegistry([Named(" ")]));
    }

    [Fact]
    public void AddTaskExecutors_registers_the_four_built_ins_and_binds_configuration()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["RestExecutor:AllowPrivateNetworks"] = "true",
                ["RestExecutor:MaxResponseBytes"] = "2048",
                ["CommandExecutor:Enabled"] = "true",
                ["CommandExecutor:AllowedCommands"] = "echo;ls",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddTaskExecutors(configuration);
        services.AddTaskExecutors(configuration); // idempotent: no duplicate registrations
        using var provider = services.BuildServiceProvider();

        var registry = provider.GetRequiredService<ExecutorRegistry>();

        Assert.Equal(
            ["aggregate_results_executor", "command_executor", "rest_executor", "system_info_executor"],
            registry.All.Select(e => e.Name));
        Assert.All(registry.All, e => Assert.False(string.IsNullOrWhiteSpace(e.Description)));
        var rest = provider.GetRequiredService<IOptions<RestExecutorOptions>>().Value;
        Assert.True(rest.AllowPrivateNetworks);
        Assert.Equal(2048, rest.MaxResponseBytes);
        var command = provider.GetRequiredService<IOptions<CommandExecutorOptions>>().Value;
        Assert.True(command.Enabled);
        Assert.Equal(["echo", "ls"], command.AllowedCommandList());
    }

    [Fact]
    public void Defaults_are_safe_and_bad_settings_fail_clearly()
    {
        using var defaults = new ServiceCollection().AddTaskExecutors(new ConfigurationBuilder().Build()).BuildServiceProvider();
        var bad = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["RestExecutor:MaxResponseBytes"] = "0" })
            .Build();
        using var badProvider = new ServiceCollection().AddTaskExecutors(bad).BuildServiceProvider();

        Assert.False(defaults.GetRequiredService<IOptions<RestExecutorOptions>>().Value.AllowPrivateNetworks);
        Assert.Equal(1024 * 1024, defaults.GetRequiredService<IOptions<RestExecutorOptions>>().Value.MaxResponseBytes);
        Assert.False(defaults.GetRequiredService<IOptions<CommandExecutorOptions>>().Value.Enabled);
        var ex = Assert.Throws<OptionsValidationException>(() => badProvider.GetRequiredService<ExecutorRegistry>());
        Assert.Contains("RestExecutor:MaxResponseBytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Executors_describe_their_inputs()
    {
        using var provider = new ServiceCollection().AddTaskExecutors(new ConfigurationBuilder().Build()).BuildServiceProvider();
        var registry = provider.GetRequiredService<ExecutorRegistry>();

        registry.TryGet("rest_executor", out var rest);
        Assert.Contains(rest!.Inputs, i => i is { Name: "url", Required: true });
        registry.TryGet("system_info_executor", out var info);
        Assert.Equal("all", Assert.Single(info!.Inputs).Default);
        Assert.Equal(JsonValueKind.Object, registry.All.Single(e => e.Name == "aggregate_results_executor")
            .DemoResult(ExecutorTestSupport.Context()).ValueKind);
    }
}
