using System.Globalization;
using DurableFlow.Api;
using DurableFlow.Contracts;
using DurableFlow.Graph;
using DurableFlow.Storage;
using Microsoft.AspNetCore.Http;

namespace DurableFlow.Application;

/// <summary>Reading trees: a tree's summary (the index row and the status entity, whatever the tree's size)
/// with its first page of tasks, a page of tasks, one task, and a user's trees from the index.</summary>
public sealed class TreeReader(ITreeIndex index, TreeAccess access, TreeReconciliation reconciliation)
{
    /// <summary>Default page size of <c>GET /api/trees</c>.</summary>
    public const int DefaultListLimit = 50;

    /// <summary>Deepest parent chain <c>?view=nested</c> renders.</summary>
    public const int MaxNestedDepth = 100;

    /// <summary>Default page size of <c>GET /api/trees/{id}/tasks</c>.</summary>
    public const int DefaultTaskPageLimit = 100;

    /// <summary>Tasks the tree read carries (its first page); the rest is on the tasks route.</summary>
    public const int TreeReadTaskLimit = TreeRecords.MaxPageLimit;

    /// <summary>Tree <paramref name="treeId"/> if <paramref name="owner"/> may see it: its summary and, unless
    /// <paramref name="view"/> is <see cref="TreeReadView.Summary"/>, its first page of tasks (results only
    /// <paramref name="withResults"/>).</summary>
    public async Task<ApiResult> GetTreeAsync(string treeId, string? owner, TreeReadView view, bool withResults, ITreeRuns runs, CancellationToken cancellationToken)
    {
        var (found, rejected) = await access.FindVisibleAsync(treeId, owner, cancellationToken);
        if (rejected is not null)
        {
            return rejected;
        }

        var (entry, state, tree) = await ReadSummaryAsync(found!, runs, cancellationToken);
        if (view == TreeReadView.Summary)
        {
            return new ApiResult(StatusCodes.Status200OK, tree);
        }

        if (view == TreeReadView.Nested && entry.TaskCount > TreeReadTaskLimit)
        {
            return ApiResult.BadRequest($"the nested view is for trees of up to {TreeReadTaskLimit:N0} tasks; this one has {entry.TaskCount:N0}: page the flat list at {TreeLinks.TasksPathOf(treeId)}", "view");
        }

        var page = await TreeRecords.ReadPageAsync(entry, state, TaskPageToken.First, TreeReadTaskLimit, null, withResults, runs, cancellationToken);
        // One page holds the whole tree when it fits: then it is in submission order, as it always was.
        var records = page.Next is null && page.Records.All(r => r.Index is not null) ? page.Records.OrderBy(r => r.Index).ToList() : page.Records;
        var tasks = records.Select(r => TaskView.From(Shown(tree, r), withResults)).ToList();
        tree = tree with { Tasks = tasks, TasksContinuation = page.Next?.ToString() };
        if (view == TreeReadView.Nested)
        {
            var nested = Nest(tasks);
            if (nested is null)
            {
                return ApiResult.BadRequest($"the parent chain is deeper than {MaxNestedDepth}: read the flat view", "view");
            }

            tree = tree with { Tasks = nested };
        }

        return new ApiResult(StatusCodes.Status200OK, tree);
    }

    /// <summary>A page of tree <paramref name="treeId"/>'s tasks if <paramref name="owner"/> may see the tree.</summary>
    public async Task<ApiResult> GetTasksAsync(string treeId, string? owner, TaskPageToken from, int limit, IReadOnlySet<TaskRunStatus>? statuses, bool withResults, ITreeRuns runs, CancellationToken cancellationToken)
    {
        var (found, rejected) = await access.FindVisibleAsync(treeId, owner, cancellationToken);
        if (rejected is not null)
        {
            return rejected;
        }

        var (entry, state, tree) = await ReadSummaryAsync(found!, runs, cancellationToken);
        var page = await TreeRecords.ReadPageAsync(entry, state, from, limit,
            statuses is null ? null : r => statuses.Contains(Shown(tree, r).Status), withResults, runs, cancellationToken);
        string? next = null;
        if (page.Next is { } token)
        {
            var query = new List<string> { "limit=" + limit.ToString(CultureInfo.InvariantCulture) };
            if (statuses is not null)
            {
                query.Add("status=" + string.Join(',', statuses.Order().Select(s => s.ToWire())));
            }

            if (withResults)
            {
                query.Add("include=results");
            }

            query.Add("continuation=" + Uri.EscapeDataString(token.ToString()));
            next = $"{TreeLinks.TasksPathOf(treeId)}?{string.Join('&', query)}";
        }

        var tasks = page.Records.Select(r => TaskView.From(Shown(tree, r), withResults)).ToList();
        return new ApiResult(StatusCodes.Status200OK, new TaskPageResponse(treeId, tree.Run, tasks, page.Next?.ToString(), new TaskPageLinks(next)));
    }

    /// <summary>One task of tree <paramref name="treeId"/> if <paramref name="owner"/> may see the tree.</summary>
    public async Task<ApiResult> GetTaskAsync(string treeId, string taskId, string? owner, ITreeRuns runs, CancellationToken cancellationToken)
    {
        var (entry, rejected) = await access.FindVisibleAsync(treeId, owner, cancellationToken);
        if (rejected is not null)
        {
            return rejected;
        }

        TaskRecordV1? record = null;
        if (TreeValidator.IsValidId(taskId))
        {
            if (entry!.Shards is null)
            {
                // Records all in the tree's status entity: read (and reconciled) as the tree read does.
                var (reconciled, state, tree) = await ReadSummaryAsync(entry, runs, cancellationToken);
                record = await TreeRecords.ReadTaskAsync(reconciled, state, taskId, runs, cancellationToken);
                record = record is null ? null : Shown(tree, record);
            }
            else
            {
                // One shard read. A run that ended by a fault the shard has not applied yet shows as the index says.
                record = await TreeRecords.ReadTaskAsync(entry, null, taskId, runs, cancellationToken);
                if (record is not null && entry.Status.IsTerminal() && entry.Error is { } error)
                {
                    record = TreeRecords.ShowEnded(record, WireTime.Format((entry.CompletedAt ?? entry.CreatedAt).UtcDateTime), error);
                }
            }
        }

        return record is null
            ? ApiResult.NotFound($"tree '{treeId}' has no task '{taskId}'")
            : new ApiResult(StatusCodes.Status200OK, TaskView.From(record));
    }

    /// <summary>A page of <paramref name="userId"/>'s trees, newest first. <paramref name="userInLinks"/>
    /// puts the user id into the next-page link (when the caller named it rather than authenticated).</summary>
    public async Task<ApiResult> ListAsync(string userId, bool userInLinks, TreeStatus? status, int limit, string? continuation, CancellationToken cancellationToken)
    {
        TreeIndexPage page;
        try
        {
            page = await index.ListAsync(userId, status, limit, continuation, cancellationToken);
        }
        catch (InvalidContinuationException)
        {
            return ApiResult.BadRequest("continuation is not a token this list returned (for this user and status filter)", "continuation");
        }

        string? next = null;
        if (page.ContinuationToken is { } token)
        {
            var parts = new List<string>();
            if (userInLinks)
            {
                parts.Add("user_id=" + Uri.EscapeDataString(userId));
            }

            if (status is { } s)
            {
                parts.Add("status=" + s.ToWire());
            }

            parts.Add("limit=" + limit.ToString(CultureInfo.InvariantCulture));
            parts.Add("continuation=" + Uri.EscapeDataString(token));
            next = $"{TreeLinks.RoutePrefix}/trees?{string.Join('&', parts)}";
        }

        return new ApiResult(StatusCodes.Status200OK, new TreeListResponse(page.Items.Select(TreeSummary.From).ToList(), page.ContinuationToken, next));
    }

    /// <summary>
    /// The tree's summary (no tasks) as the status entity shows it, reconciled with its orchestration; before
    /// the run's first status update, as the index row shows it. With the sharded layout the index row may
    /// record a run's end a moment before the summary does: the newer of the two is shown.
    /// </summary>
    private async Task<(TreeIndexEntry Entry, TreeStatusStateV1? State, TreeView View)> ReadSummaryAsync(TreeIndexEntry entry, ITreeRuns runs, CancellationToken cancellationToken)
    {
        var treeId = entry.TreeId;
        var createdAt = WireTime.Format(entry.CreatedAt.UtcDateTime);
        var state = await runs.ReadStatusAsync(treeId, cancellationToken);
        (entry, state) = await reconciliation.ReconcileAsync(entry, state, null, runs, cancellationToken);
        if (!TreeRecords.HasRun(state))
        {
            var completedAt = entry.CompletedAt is { } done ? WireTime.Format(done.UtcDateTime) : null;
            return (entry, state, new TreeView(treeId, entry.UserId, entry.Status.ToWire(), entry.Counts.Progress, CountsView.From(entry.Counts),
                entry.TaskCount, createdAt, null, completedAt, entry.Run, TreeLinks.ForTree(treeId), null)
            {
                Error = entry.Error,
            });
        }

        // A rerun claims its run on the index row before its orchestration tells the entity: until then
        // the entity still holds the ended run, and a poller must not read that as the new run's end.
        var claimed = entry.Run > state!.Run;
        var indexAhead = !claimed && TreeRecords.IndexAhead(entry, state);
        var counts = claimed || indexAhead ? entry.Counts : TreeRecords.CountsOf(state);
        var status = claimed || indexAhead ? entry.Status : state.Status;
        var ended = indexAhead ? WireTime.Format((entry.CompletedAt ?? entry.CreatedAt).UtcDateTime) : claimed ? null : state.CompletedAt;
        var error = claimed ? null : indexAhead ? entry.Error : state.Error ?? (entry.Run == state.Run ? entry.Error : null);
        var view = new TreeView(treeId, state.UserId ?? entry.UserId, status.ToWire(), counts.Progress, CountsView.From(counts),
            state.TaskCount ?? (state.Shards is null ? state.Tasks.Count : entry.TaskCount), state.CreatedAt ?? createdAt, state.StartedAt, ended,
            claimed ? entry.Run : state.Run, TreeLinks.ForTree(treeId), null)
        {
            Runs = state.Runs.Select(RunView.From).ToList(),
            Error = error,
        };
        return (entry, state, view);
    }

    /// <summary>A record as the tree's summary says it must read: once a run ended by a fault, every task not
    /// ended failed with it (its shard may not have applied that yet).</summary>
    private static TaskRecordV1 Shown(TreeView tree, TaskRecordV1 record) =>
        tree.Error is { } error && tree.CompletedAt is { } at && StatusNames.TryParseTreeStatus(tree.Status, out var status) && status.IsTerminal()
            ? TreeRecords.ShowEnded(record, at, error)
            : record;

    /// <summary>Roots (no parent) with their children nested; null when a parent chain is too deep.</summary>
    private static List<TaskView>? Nest(IReadOnlyList<TaskView> flat)
    {
        var copies = flat.Select(t => t with { Children = null }).ToList();
        var byId = copies.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var roots = new List<TaskView>();
        foreach (var task in copies)
        {
            if (task.ParentId is { } parentId && byId.TryGetValue(parentId, out var parent))
            {
                (parent.Children ??= []).Add(task);
            }
            else
            {
                roots.Add(task);
            }
        }

        // Breadth-first depth check: parents were validated acyclic, so this ends.
        var level = roots;
        for (var depth = 1; level.Count > 0; depth++)
        {
            if (depth > MaxNestedDepth)
            {
                return null;
            }

            level = level.SelectMany(t => t.Children ?? []).ToList();
        }

        foreach (var task in copies)
        {
            task.Children ??= [];
        }

        return roots;
    }
}
