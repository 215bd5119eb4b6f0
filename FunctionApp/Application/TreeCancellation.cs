using DurableFlow.Api;
using DurableFlow.Graph;
using Microsoft.AspNetCore.Http;

namespace DurableFlow.Application;

/// <summary>Cancelling a running tree: only while it runs, by the orchestration's cancel event.</summary>
public sealed class TreeCancellation(TreeAccess access, TreeReconciliation reconciliation)
{
    /// <summary>Cancels tree <paramref name="treeId"/> if <paramref name="owner"/> may see it (see <see cref="TreeAccess"/>).</summary>
    public async Task<ApiResult> CancelAsync(string treeId, string? owner, ITreeRuns runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var (entry, rejected) = await access.FindVisibleAsync(treeId, owner, cancellationToken);
        if (rejected is not null)
        {
            return rejected;
        }

        var state = await runs.ReadStatusAsync(treeId, cancellationToken);
        (entry, state) = await reconciliation.ReconcileAsync(entry!, state, null, runs, cancellationToken);
        var status = TreeRecords.HasRun(state) ? state!.Status : entry!.Status;
        if (status.IsTerminal() || entry!.Status.IsTerminal())
        {
            return NotCancellable(treeId, $"tree '{treeId}' has already ended ({(status.IsTerminal() ? status : entry!.Status).ToWire()})");
        }

        var instance = await runs.GetAsync(treeId, withInput: false, cancellationToken);
        if (instance is null)
        {
            return NotCancellable(treeId, $"tree '{treeId}' has not started yet: retry in a moment");
        }

        if (instance.IsCompleted)
        {
            return NotCancellable(treeId, $"tree '{treeId}' has already ended");
        }

        await runs.RequestCancelAsync(treeId, cancellationToken);
        return new ApiResult(StatusCodes.Status202Accepted, new CancelResponse(treeId, status.ToWire(), true, TreeLinks.For(treeId)), TreeLinks.PathOf(treeId));
    }

    private static ApiResult NotCancellable(string treeId, string message) =>
        ApiResult.Error(StatusCodes.Status409Conflict, ApiErrorCodes.NotCancellable, message,
            [new ErrorDetail(ApiErrorCodes.NotCancellable, message, TaskId: null, RelatedId: treeId)]);
}
