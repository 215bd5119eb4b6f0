using DurableFlow.Api;
using DurableFlow.Executors;
using DurableFlow.Orchestration;
using DurableFlow.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DurableFlow;

/// <summary>The one place that wires the app's services; Program.cs calls it and nothing else registers.</summary>
public static class DurableFlowServiceCollectionExtensions
{
    /// <summary>Registers the executors, the tree index and attempt ledger, the task runner (section
    /// <c>Tasks</c>), the outcome recorder, and the HTTP API with its application services.</summary>
    public static IServiceCollection AddDurableFlow(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddTaskExecutors(configuration);
        services.AddTreeIndex(configuration);
        services.AddOptions<TaskRunnerOptions>()
            .Bind(configuration.GetSection("Tasks"))
            .Validate(o => o.MaxDependencyResultsBytes is > 0 and <= TaskRunnerOptions.MaxDependencyResultsBytesCeiling,
                "Tasks:MaxDependencyResultsBytes must be 1 to 3145728 (3 MiB, under the 4 MB host-to-worker message limit)")
            .Validate(o => o.FanOutBlockSize is >= 0 and <= TaskRunnerOptions.MaxFanOutBlockSize,
                "Tasks:FanOutBlockSize must be 0 (off) to 1000")
            .ValidateOnStart();
        services.TryAddSingleton<TaskRunner>();
        services.TryAddSingleton<ITreeOutcomeRecorder, TreeIndexOutcomeRecorder>();
        services.AddTreeApi(configuration);
        return services;
    }
}
