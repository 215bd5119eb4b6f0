using DurableFlow.Api;
using DurableFlow.Contracts;
using DurableFlow.Graph;
using DurableFlow.Storage;
using Microsoft.AspNetCore.Http;

namespace DurableFlow.Application;

/// <summary>
/// Ending a tree that is stuck for reasons outside the app (an executor that never returns, a platform fault):
/// terminates its orchestration at once — unlike cancel, which waits for running tasks — and records the run
/// <c>failed</c> with <c>"terminated: reason"</c> in the status entity and the index row. Failed rather than
/// cancelled: nothing finished in order (running tasks were abandoned, not waited for), and a reader finds
/// the same status as for any run that ended by a fault. A rerun then runs what did not complete.
/// </summary>
public sealed class TreeTermination(TreeAccess access, TreeReconciliation reconciliation, ITreeIndex index, TimeProvider time)
{
    /// <summary>Longest reason accepted.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Terminates tree <paramref name="treeId"/> if <paramref name="owner"/> may see it and it runs.</summary>
    public async Task<ApiResult> TerminateAsync(string treeId, string? owner, string? reason, ITreeRuns runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var (entry, rejected) = await access.FindVisibleAsync(treeId, owner, cancellationToken);
        if (rejected is not null)
        {
            return rejected;
        }

        var instance = await runs.GetAsync(treeId, withInput: true, cancellationToken);
        var state = await runs.ReadStatusAsync(treeId, cancellationToken);
        (entry, state) = await reconciliation.ReconcileAsync(entry!, state, instance, runs, cancellationToken);
        var status = TreeRecords.HasRun(state) ? state!.Status : entry.Status;
        if (status.IsTerminal() || entry.Status.IsTerminal())
        {
            return NotTerminable(treeId, $"tree '{treeId}' has already ended ({(status.IsTerminal() ? status : entry.Status).ToWire()})");
        }

        if (instance is null)
        {
            return NotTerminable(treeId, $"tree '{treeId}' has not started yet: retry in a moment");
        }

        if (instance.IsCompleted || instance.Input is null)
        {
            return NotTerminable(treeId, $"tree '{treeId}' has already ended");
        }

        var error = string.IsNullOrWhiteSpace(reason) ? "terminated" : "terminated: " + reason;
        var run = instance.Input.Run;
        await runs.TerminateAsync(treeId, error, cancellationToken);

        // From here the run has ended: record it whatever the caller does now.
        var now = time.GetUtcNow();
        var counts = TreeRecords.HasRun(state) && state!.Run == run
            ? RunFault.Ended(TreeRecords.CountsOf(state))
            : RunFault.Ended(entry.Counts);
        await TreeRecords.RecordFaultAsync(entry, state, run, counts, now.UtcDateTime, error, runs, CancellationToken.None);
        await index.RecordOutcomeAsync(new TreeOutcomeUpdate(treeId, run, TreeStatus.Failed, counts, now, error), CancellationToken.None);
        return new ApiResult(StatusCodes.Status202Accepted, new TerminateResponse(treeId, TreeStatus.Failed.ToWire(), true, error, TreeLinks.For(treeId)), TreeLinks.PathOf(treeId));
    }

    /// <summary>The same answer as cancel's for a tree that does not run (<c>409 not_cancellable</c>).</summary>
    private static ApiResult NotTerminable(string treeId, string message) =>
        ApiResult.Error(StatusCodes.Status409Conflict, ApiErrorCodes.NotCancellable, message,
            [new ErrorDetail(ApiErrorCodes.NotCancellable, message, TaskId: null, RelatedId: treeId)]);
}
