using DurableFlow.Executors;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace DurableFlow.Orchestration;

/// <summary>Records a finished run where the tree index shows it.</summary>
public interface ITreeOutcomeRecorder
{
    /// <summary>Stores <paramref name="outcome"/>; must be idempotent (activities run at least once).</summary>
    Task RecordAsync(TreeRunOutcome outcome, CancellationToken cancellationToken);
}

/// <summary>The Durable functions of a tree run: thin triggers, each making one call.</summary>
public sealed class TreeFunctions(TaskRunner runner, ITreeOutcomeRecorder recorder)
{
    [Function(TreeOrchestration.Name)]
    public static async Task<TreeRunOutcome> RunTreeAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var orchestration = new TreeOrchestration(context);
        return await orchestration.RunAsync(context.GetInput<TreeRunInput>()!);
    }

    [Function(TreeOrchestration.RunTaskActivity)]
    public Task<TaskRunResult> RunTaskAsync([ActivityTrigger] TaskRunRequest request, CancellationToken cancellationToken) =>
        runner.RunAsync(request, cancellationToken);

    [Function(TreeOrchestration.RecordOutcomeActivity)]
    public Task RecordTreeOutcomeAsync([ActivityTrigger] TreeRunOutcome outcome, CancellationToken cancellationToken) =>
        recorder.RecordAsync(outcome, cancellationToken);
}
