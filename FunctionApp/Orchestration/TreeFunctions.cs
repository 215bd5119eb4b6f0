using DurableFlow.Executors;
using DurableFlow.Storage;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;
using DurableFlow.Contracts;

namespace DurableFlow.Orchestration;

/// <summary>The Durable functions of a tree run: thin triggers, each making one call.</summary>
public sealed class TreeFunctions(TaskRunner runner, ITreeOutcomeRecorder recorder, IRunInputStore? runInputs = null)
{
    [Function(TreeOrchestration.Name)]
    public static async Task<TreeRunOutcomeV1> RunTreeAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var orchestration = new TreeOrchestration(context);
        return await orchestration.RunAsync(context.GetInput<TreeRunInputV1>()!);
    }

    [Function(TaskBlockOrchestration.Name)]
    public static async Task<TaskBlockResultV1> RunTaskBlockAsync([OrchestrationTrigger] TaskOrchestrationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var block = new TaskBlockOrchestration(context);
        return await block.RunAsync(context.GetInput<TaskBlockInputV1>()!);
    }

    [Function(TreeOrchestration.RunTaskActivity)]
    public Task<TaskRunResultV1> RunTaskAsync([ActivityTrigger] TaskRunRequestV1 request, CancellationToken cancellationToken) =>
        runner.RunAsync(request, cancellationToken);

    [Function(TreeOrchestration.LoadRunPartsActivity)]
    public async Task<TreeRunPartsV1> LoadRunPartsAsync([ActivityTrigger] TreeRunPartsKeyV1 key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var store = runInputs ?? throw new InvalidOperationException("no run-input store is configured");
        return await store.LoadAsync(key.TreeId, key.Run, cancellationToken)
            ?? throw new InvalidOperationException($"the stored input of tree '{key.TreeId}' run {key.Run} is missing");
    }

    [Function(TreeOrchestration.RecordOutcomeActivity)]
    public Task RecordTreeOutcomeAsync([ActivityTrigger] TreeRunOutcomeV1 outcome, CancellationToken cancellationToken) =>
        recorder.RecordAsync(outcome, cancellationToken);
}
