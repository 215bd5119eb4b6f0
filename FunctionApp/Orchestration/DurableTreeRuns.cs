using DurableFlow.Application;
using DurableFlow.Contracts;
using DurableFlow.Status;
using DurableFlow.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace DurableFlow.Orchestration;

/// <summary><see cref="ITreeRuns"/> over the Durable client of one HTTP invocation (the client comes from
/// the trigger's <c>[DurableClient]</c> binding). A run input larger than <see cref="InlineRunInputBytes"/>
/// keeps its tasks and carried results in <paramref name="runInputs"/> (when given) and starts with the rest:
/// every message between the worker and the host stays far below its 4 MB limit, whatever the tree's size.
/// Inputs read back come with their parts in place.</summary>
public sealed class DurableTreeRuns(DurableTaskClient client, IRunInputStore? runInputs = null) : ITreeRuns
{
    /// <summary>Largest run input started inline (its JSON): about 1,500 small tasks.</summary>
    public const int InlineRunInputBytes = 256 * 1024;

    public async Task StartAsync(TreeRunInputV1 input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (runInputs is not null && System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(input).Length > InlineRunInputBytes)
        {
            await runInputs.SaveAsync(input.TreeId, input.Run, new TreeRunPartsV1(input.Tree.Tasks, input.Carried), cancellationToken);
            input = input with { Tree = input.Tree with { Tasks = [] }, Carried = null, PartsStored = true };
        }

        await client.ScheduleNewOrchestrationInstanceAsync(TreeOrchestration.Name, input, new StartOrchestrationOptions(input.TreeId), cancellationToken);
    }

    /// <summary><paramref name="input"/> with its stored parts in place.</summary>
    private async Task<TreeRunInputV1?> CompleteAsync(TreeRunInputV1? input, CancellationToken cancellationToken)
    {
        if (input is not { PartsStored: true } || runInputs is null)
        {
            return input;
        }

        var parts = await runInputs.LoadAsync(input.TreeId, input.Run, cancellationToken)
            ?? throw new InvalidOperationException($"the stored input of tree '{input.TreeId}' run {input.Run} is missing");
        return input with { Tree = input.Tree with { Tasks = parts.Tasks }, Carried = parts.Carried, PartsStored = null };
    }

    public async Task<TreeInstance?> GetAsync(string treeId, bool withInput, CancellationToken cancellationToken)
    {
        var instance = await client.GetInstanceAsync(treeId, getInputsAndOutputs: withInput, cancellationToken);
        if (instance is null)
        {
            return null;
        }

        var input = withInput && instance.SerializedInput is not null ? instance.ReadInputAs<TreeRunInputV1>() : null;
        return new TreeInstance(instance.IsCompleted, await CompleteAsync(input, cancellationToken), FailureOf(instance));
    }

    public async Task<TreeInstance?> WaitForCompletionAsync(string treeId, CancellationToken cancellationToken)
    {
        var instance = await client.WaitForInstanceCompletionAsync(treeId, getInputsAndOutputs: true, cancellationToken);
        return instance is null ? null : new TreeInstance(instance.IsCompleted,
            await CompleteAsync(instance.SerializedInput is null ? null : instance.ReadInputAs<TreeRunInputV1>(), cancellationToken), FailureOf(instance));
    }

    public Task TerminateAsync(string treeId, string reason, CancellationToken cancellationToken) =>
        client.TerminateInstanceAsync(treeId, new TerminateInstanceOptions { Output = reason, Recursive = true }, cancellationToken);

    public Task SignalStatusAsync(string treeId, StatusUpdateV1 update, CancellationToken cancellationToken) =>
        client.Entities.SignalEntityAsync(TreeStatusEntity.IdFor(treeId), TreeStatusEntity.ApplyOperation, update, cancellation: cancellationToken);

    /// <summary>What ended an instance that did not return its outcome: its failure, or its termination.</summary>
    private static string? FailureOf(OrchestrationMetadata instance) => instance.RuntimeStatus switch
    {
        OrchestrationRuntimeStatus.Failed => "the orchestration failed: " + (instance.FailureDetails is { } details ? $"{details.ErrorType}: {details.ErrorMessage}" : "no details recorded"),
        OrchestrationRuntimeStatus.Terminated => "the orchestration was terminated",
        _ => null,
    };

    public Task RequestCancelAsync(string treeId, CancellationToken cancellationToken) =>
        client.RaiseEventAsync(treeId, TreeOrchestration.CancelEvent, null, cancellationToken);

    public async Task<TreeStatusStateV1?> ReadStatusAsync(string treeId, CancellationToken cancellationToken)
    {
        var metadata = await client.Entities.GetEntityAsync<TreeStatusStateV1>(TreeStatusEntity.IdFor(treeId), includeState: true, cancellationToken);
        return metadata?.IncludesState == true ? metadata.State : null;
    }

    public Task SignalSummaryAsync(string treeId, TreeSummaryUpdateV1 update, CancellationToken cancellationToken) =>
        client.Entities.SignalEntityAsync(TreeStatusEntity.IdFor(treeId), TreeStatusEntity.SummarizeOperation, update, cancellation: cancellationToken);

    public Task SignalShardAsync(string treeId, int shard, StatusUpdateV1 update, CancellationToken cancellationToken) =>
        client.Entities.SignalEntityAsync(TaskShardEntity.IdFor(treeId, shard), TreeStatusEntity.ApplyOperation, update, cancellation: cancellationToken);

    public async Task<TaskShardStateV1?> ReadShardAsync(string treeId, int shard, CancellationToken cancellationToken)
    {
        var metadata = await client.Entities.GetEntityAsync<TaskShardStateV1>(TaskShardEntity.IdFor(treeId, shard), includeState: true, cancellationToken);
        return metadata?.IncludesState == true ? metadata.State : null;
    }

    public async Task<TaskResultV1?> ReadResultAsync(string treeId, string taskId, CancellationToken cancellationToken)
    {
        var metadata = await client.Entities.GetEntityAsync<TaskResultV1>(TaskResultEntity.IdFor(treeId, taskId), includeState: true, cancellationToken);
        return metadata?.IncludesState == true ? metadata.State : null;
    }
}
