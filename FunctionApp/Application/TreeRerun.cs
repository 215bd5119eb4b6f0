using DurableFlow.Api;
using DurableFlow.Contracts;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace DurableFlow.Application;

/// <summary>Rerunning an ended tree: plan which tasks run again (<see cref="RerunPlan"/>), claim the next
/// run on the index row (compare-and-set), start it.</summary>
public sealed class TreeRerun(ITreeIndex index, IOptions<TaskRunnerOptions> tasks, TimeProvider time, TreeReconciliation reconciliation)
{
    /// <summary>How long a rerun waits for a run that has ended to finish recording its outcome.</summary>
    private static readonly TimeSpan RunFinishWait = TimeSpan.FromSeconds(10);

    /// <summary>Reruns the tree of <paramref name="entry"/> (visible to the caller) as <paramref name="request"/> asks.</summary>
    public async Task<ApiResult> RerunAsync(TreeIndexEntry entry, RerunRequest request, ITreeRuns runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(runs);
        var treeId = entry.TreeId;
        var instance = await runs.GetAsync(treeId, withInput: true, cancellationToken);
        var state = await runs.ReadStatusAsync(treeId, cancellationToken);
        // An orchestration that failed or was terminated under records that say "running" has ended: record
        // that first, so it can be rerun.
        (entry, state) = await reconciliation.ReconcileAsync(entry, state, instance, runs, cancellationToken);
        var ended = TreeRecords.HasRun(state) && (state!.Status.IsTerminal() || TreeRecords.IndexAhead(entry, state));
        if (ended && instance is { IsCompleted: false })
        {
            // The run has ended (reads say so) but its orchestration is still recording the outcome in the
            // index: a moment's wait, so a rerun right after a read that showed the end does not bounce.
            (instance, entry) = await WaitForRunToFinishAsync(runs, instance, entry, cancellationToken);
        }

        // The index row turns in_progress the moment a rerun claims the next run, before the new
        // orchestration exists: it closes the window in which the old, completed instance is all there is.
        if (instance is null || !instance.IsCompleted || !ended || !entry.Status.IsTerminal())
        {
            return ApiResult.Conflict(ApiErrorCodes.TreeRunning, $"tree '{treeId}' is still running (or has not started): wait for it to end, or cancel it");
        }

        var run = Math.Max(entry.Run, state!.Run);
        if (request.ExpectedRun is { } expected && expected != run)
        {
            return ApiResult.Conflict(ApiErrorCodes.RunMismatch, $"tree '{treeId}' is at run {run}, not {expected}");
        }

        var input = instance.Input!;
        var graph = TaskGraph.Build(input.Tree.ToDomain());
        var records = (await TreeRecords.ReadAllAsync(entry, state, runs, cancellationToken)).ToDictionary(t => t.Id, StringComparer.Ordinal);
        var plan = RerunPlan.Create(graph,
            id => records.GetValueOrDefault(id)?.Status ?? TaskRunStatus.Pending,
            id => records.GetValueOrDefault(id)?.Result,
            request.Tasks, out var unknown);
        if (unknown.Count > 0)
        {
            var details = unknown.Select(id => new ErrorDetail(ApiErrorCodes.UnknownTask, $"tree '{treeId}' has no task '{id}'", "$.tasks", RelatedId: id)).ToList();
            return ApiResult.Error(StatusCodes.Status400BadRequest, ApiErrorCodes.UnknownTask,
                $"{unknown.Count} of the named tasks are not tasks of tree '{treeId}'", details);
        }

        if (plan.Rerun.Count == 0)
        {
            return ApiResult.Conflict(ApiErrorCodes.NothingToRerun, $"every task of tree '{treeId}' completed: name the tasks to run again in {{\"tasks\": [...]}}");
        }

        // Compare-and-set on the index row: of two simultaneous reruns exactly one moves the run on.
        var counts = new TaskCounts(plan.Rerun.Count, 0, plan.Carried.Count, 0, 0, 0);
        if (!await index.TryBeginRunAsync(treeId, run, counts, cancellationToken))
        {
            return ApiResult.Conflict(ApiErrorCodes.TreeRunning, $"tree '{treeId}' was just started again by another request");
        }

        // A rerun takes today's bound, also for a tree first run before the bound existed.
        var next = input with
        {
            Run = run + 1,
            Carried = plan.Carried,
            MaxDependencyResultsBytes = tasks.Value.MaxDependencyResultsBytes,
            // Blocks need the sharded layout (they write their tasks' records): trees without it keep running without.
            FanOutBlockSize = input.Layout is not null && tasks.Value.FanOutBlockSize > 0 ? tasks.Value.FanOutBlockSize : null,
        };
        try
        {
            await runs.StartAsync(next, cancellationToken);
        }
        catch
        {
            // Give the claimed run an end, so the tree is not left "running" with nothing behind it.
            var (endedStatus, endedCounts) = state!.Status.IsTerminal() ? (state.Status, TreeRecords.CountsOf(state)) : (entry.Status, entry.Counts);
            await index.RecordOutcomeAsync(new TreeOutcomeUpdate(treeId, run + 1, endedStatus, endedCounts, time.GetUtcNow()), CancellationToken.None);
            throw;
        }

        return new ApiResult(StatusCodes.Status202Accepted,
            new RerunResponse(treeId, TreeStatus.Pending.ToWire(), run + 1, plan.Rerun, plan.Carried.Count, TreeLinks.For(treeId)), TreeLinks.PathOf(treeId));
    }

    /// <summary>Waits up to <see cref="RunFinishWait"/> for the orchestration to complete; the index row is read again after.</summary>
    private async Task<(TreeInstance Instance, TreeIndexEntry Entry)> WaitForRunToFinishAsync(
        ITreeRuns runs, TreeInstance instance, TreeIndexEntry entry, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(RunFinishWait);
        try
        {
            instance = await runs.WaitForCompletionAsync(entry.TreeId, wait.Token) ?? instance;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (instance, entry); // still finishing: answered as running
        }

        return (instance, await index.GetAsync(entry.TreeId, cancellationToken) ?? entry);
    }
}
