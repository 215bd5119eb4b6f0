using DurableFlow.Client;

namespace DurableFlow.Cli.Rendering;

/// <summary>
/// The ids of some running tasks, for the progress views, which poll the summary (it has no tasks): one small
/// tasks page filtered to <c>in_progress</c>, read again only when the summary changed.
/// </summary>
internal sealed class RunningTasks(DurableFlowClient client, string treeId)
{
    private TreeView? _readFor;
    private IReadOnlyList<string> _ids = [];

    /// <summary>Ids of running tasks (up to <see cref="TreeProgressView.RunningShown"/>) as of <paramref name="summary"/>.</summary>
    public async Task<IReadOnlyList<string>> UpdateAsync(TreeView summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.Counts.InProgress == 0)
        {
            _readFor = summary;
            _ids = [];
            return _ids;
        }
        if (_readFor is not null && _readFor.Status == summary.Status && _readFor.Run == summary.Run && _readFor.Counts == summary.Counts)
        {
            return _ids;
        }
        // One page only: a filtered page may hold fewer than asked (the rest are counted as "and N more").
        var page = await client.GetTasksPageAsync(treeId,
            new TaskPageQuery { Statuses = [TaskStatuses.InProgress], Limit = TreeProgressView.RunningShown }, cancellationToken).ConfigureAwait(false);
        _readFor = summary;
        _ids = [.. page.Tasks.Where(t => t.Status == TaskStatuses.InProgress).Select(t => t.Id).Take(TreeProgressView.RunningShown)];
        return _ids;
    }
}
