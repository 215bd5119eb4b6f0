using System.Text.Json;
using DurableFlow.Contracts;
using DurableFlow.Graph;
using DurableFlow.Status;
using Microsoft.DurableTask;

namespace DurableFlow.Orchestration;

/// <summary>
/// A fan-out block: runs its tasks at once (each with its own attempts, timeout and retries, as the tree's
/// orchestration would), records their outcomes in their shards — confirmed, so when the tree's orchestration
/// learns the outcomes, the records already show them — and returns the outcomes. A wide release split into
/// blocks keeps every orchestration's history to a few hundred events: one orchestration with thousands of
/// activities gets slower with every one it adds. The tree's <c>cancel</c> event, forwarded here, stops retries.
/// </summary>
public sealed class TaskBlockOrchestration(TaskOrchestrationContext context) : IDisposable
{
    /// <summary>Orchestrator function name.</summary>
    public const string Name = "TaskBlockOrchestrator";

    private readonly CancellationTokenSource _stopRetries = new();
    private readonly CancellationTokenSource _stopWaitingForCancel = new();

    public void Dispose()
    {
        _stopRetries.Dispose();
        _stopWaitingForCancel.Dispose();
    }

    /// <summary>The instance id of block <paramref name="block"/> of run <paramref name="run"/> (<c>|</c> cannot
    /// occur in a tree id, so a block never takes a tree's id).</summary>
    public static string InstanceIdFor(string treeId, int run, int block) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{treeId}|r{run}|b{block}");

    public async Task<TaskBlockResultV1> RunAsync(TaskBlockInputV1 input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cancelRequested = context.WaitForExternalEvent<object?>(TreeOrchestration.CancelEvent, _stopWaitingForCancel.Token);
        var attempts = new TaskAttempts(context, _stopRetries.Token);
        var started = context.CurrentUtcDateTime;
        var runs = new List<Task<(int Attempts, TaskRunResultV1 Result, DateTime At)>>(input.Tasks.Count);
        foreach (var task in input.Tasks)
        {
            runs.Add(RunOneAsync(attempts, input, task.ToDomain()));
        }

        var all = Task.WhenAll(runs);
        if (await Task.WhenAny(all, cancelRequested) == cancelRequested)
        {
            _stopRetries.Cancel();
        }
        else
        {
            _stopWaitingForCancel.Cancel();
        }

        var outcomes = await all;
        await RecordAsync(input, started, outcomes);
        return new TaskBlockResultV1(input.Tasks.Select((t, i) => new TaskBlockOutcomeV1(t.Id, outcomes[i].Attempts, outcomes[i].Result)).ToList());
    }

    private async Task<(int Attempts, TaskRunResultV1 Result, DateTime At)> RunOneAsync(TaskAttempts attempts, TaskBlockInputV1 input, TaskDefinition task)
    {
        var dependencies = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var dependency in task.Dependencies)
        {
            if (input.Results.TryGetValue(dependency.Id, out var result))
            {
                dependencies[dependency.Id] = result;
            }
        }

        var (count, outcome) = await attempts.RunAsync(input.TreeId, input.Run, input.UseDemo, task, dependencies);
        return (count, outcome, context.CurrentUtcDateTime);
    }

    /// <summary>Each task's start and end, to its shard; results too large to keep inline go apart first.</summary>
    private async Task RecordAsync(TaskBlockInputV1 input, DateTime started, (int Attempts, TaskRunResultV1 Result, DateTime At)[] outcomes)
    {
        var ends = new TaskStatusChangeV1[outcomes.Length];
        for (var i = 0; i < outcomes.Length; i++)
        {
            var (attempts, result, at) = outcomes[i];
            ends[i] = new TaskStatusChangeV1(input.Tasks[i].Id, result.Succeeded ? TaskRunStatus.Completed : TaskRunStatus.Failed, attempts, result.Result, result.Error)
            {
                RanAt = result.RanAt,
                RanUntil = result.RanUntil,
                At = at,
            };
        }

        await LargeResults.KeepApartAsync(context, input.TreeId, input.Run, input.Layout, ends);

        // Released (in progress) first, so the record has its start even if the tree's own note of it comes later.
        var byShard = ends
            .SelectMany(end => new[] { new TaskStatusChangeV1(end.TaskId, TaskRunStatus.InProgress, 1) { At = started }, end })
            .GroupBy(change => TaskShards.Of(change.TaskId, input.Layout.Shards))
            .OrderBy(group => group.Key);
        await Task.WhenAll(byShard.Select(group => context.Entities.CallEntityAsync(TaskShardEntity.IdFor(input.TreeId, group.Key), TreeStatusEntity.ApplyOperation,
            new StatusUpdateV1(input.Run, context.CurrentUtcDateTime, TreeStatus.InProgress, group.ToList()))));
    }
}
