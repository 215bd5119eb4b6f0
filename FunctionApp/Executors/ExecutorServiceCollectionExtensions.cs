using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DurableFlow.Executors;

/// <summary>DI registration of the built-in executors.</summary>
public static class ExecutorServiceCollectionExtensions
{
    /// <summary>
    /// Registers the four built-in executors as <see cref="ITaskExecutor"/> singletons, the
    /// <see cref="ExecutorRegistry"/>, <see cref="RestExecutorOptions"/> (section <c>RestExecutor</c>) and
    /// <see cref="CommandExecutorOptions"/> (section <c>CommandExecutor</c>) bound from
    /// <paramref name="configuration"/> and validated at first use, and the REST executor's named
    /// <see cref="System.Net.Http.HttpClient"/> with its guarded handler. Safe to call more than once.
    /// Other executors are added with <c>services.AddSingleton&lt;ITaskExecutor, MyExecutor&gt;()</c>.
    /// </summary>
    public static IServiceCollection AddTaskExecutors(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<RestExecutorOptions>()
            .Bind(configuration.GetSection(RestExecutorOptions.SectionName))
            .Validate(o => o.MaxResponseBytes is > 0 and <= RestExecutorOptions.MaxResponseBytesLimit,
                $"RestExecutor:MaxResponseBytes must be more than 0 and at most {RestExecutorOptions.MaxResponseBytesLimit}")
            .Validate(o => o.DefaultTimeoutSeconds > 0 && o.DefaultTimeoutSeconds <= RestExecutorOptions.MaxTimeoutSeconds,
                $"RestExecutor:DefaultTimeoutSeconds must be more than 0 and at most {RestExecutorOptions.MaxTimeoutSeconds}");
        services.AddOptions<CommandExecutorOptions>()
            .Bind(configuration.GetSection(CommandExecutorOptions.SectionName))
            .Validate(o => o.MaxOutputBytes is > 0 and <= CommandExecutorOptions.MaxOutputBytesLimit,
                $"CommandExecutor:MaxOutputBytes must be more than 0 and at most {CommandExecutorOptions.MaxOutputBytesLimit}");

        services.TryAddSingleton<RestDestinationGuard>();
        services.AddHttpClient(RestExecutor.HttpClientName)
            // The executor applies each task's timeout_seconds itself.
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => RestExecutor.CreatePrimaryHandler(sp.GetRequiredService<RestDestinationGuard>()));

        // TryAddEnumerable: a second call must not register duplicates (the registry would refuse them).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITaskExecutor, SystemInfoExecutor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITaskExecutor, RestExecutor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITaskExecutor, CommandExecutor>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITaskExecutor, AggregateResultsExecutor>());
        services.TryAddSingleton<ExecutorRegistry>();
        return services;
    }
}
