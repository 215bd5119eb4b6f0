using System.Globalization;
using DurableFlow.Api;
using DurableFlow.Contracts;
using DurableFlow.Graph;
using DurableFlow.Storage;
using Microsoft.AspNetCore.Http;

namespace DurableFlow.Application;

/// <summary>Reading trees: one tree with its task records (from the status entity, one read), one task,
/// and a user's trees from the index.</summary>
public sealed class TreeReader(ITreeIndex index, TreeAccess access, TreeReconciliation reconciliation)
{
    /// <summary>Default page size of <c>GET /api/trees</c>.</summary>
    public const int DefaultListLimit = 50;

    /// <summary>Deepest parent chain <c>?view=nested</c> renders.</summary>
    public const int MaxNestedDepth = 100;

    /// <summary>Tree <paramref name="treeId"/> if <paramref name="owner"/> may see it; <paramref name="nested"/>
    /// nests tasks under their parents.</summary>
    public async Task<ApiResult> GetTreeAsync(string treeId, string? owner, bool nested, ITreeRuns runs, CancellationToken cancellationToken)
    {
        var (entry, rejected) = await access.FindVisibleAsync(treeId, owner, cancellationToken);
        if (rejected is not null)
        {
            return rejected;
        }

        var tree = await ReadTreeAsync(entry!, runs, cancellationToken);
        if (nested)
        {
            var tasks = Nest(tree.Tasks);
            if (tasks is null)
            {
                return ApiResult.BadRequest($"the parent chain is deeper than {MaxNestedDepth}: read the flat view", "view");
            }

            tree = tree with { Tasks = tasks };
        }

        return new ApiResult(StatusCodes.Status200OK, tree);
    }

    /// <summary>One task of tree <paramref name="treeId"/> if <paramref name="owner"/> may see the tree.</summary>
    public async Task<ApiResult> GetTaskAsync(string treeId, string taskId, string? owner, ITreeRuns runs, CancellationToken cancellationToken)
    {
        var (entry, rejected) = await access.FindVisibleAsync(treeId, owner, cancellationToken);
        if (rejected is not null)
        {
            return rejected;
        }

        var task = TreeValidator.IsValidId(taskId)
            ? (await ReadTreeAsync(entry!, runs, cancellationToken)).Tasks.FirstOrDefault(t => t.Id == taskId)
            : null;
        return task is null
            ? ApiResult.NotFound($"tree '{treeId}' has no task '{taskId}'")
            : new ApiResult(StatusCodes.Status200OK, task);
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

    /// <summary>The tree as the status entity shows it; before the run's first status update, every task
    /// pending, read from the orchestration input (or no tasks, if even that is not there yet).</summary>
    private async Task<TreeView> ReadTreeAsync(TreeIndexEntry entry, ITreeRuns runs, CancellationToken cancellationToken)
    {
        var treeId = entry.TreeId;
        var createdAt = WireTime.Format(entry.CreatedAt.UtcDateTime);
        var state = await runs.ReadStatusAsync(treeId, cancellationToken);
        (entry, state) = await reconciliation.ReconcileAsync(entry, state, null, runs, cancellationToken);
        if (state is { Tasks.Count: > 0 })
        {
            var records = state.Tasks.Select(TaskView.From).ToList();
            var counts = Count(records);
            // A rerun claims its run on the index row before its orchestration tells the entity: until then
            // the entity still holds the ended run, and a poller must not read that as the new run's end.
            var claimed = entry.Run > state.Run;
            return new TreeView(treeId, state.UserId ?? entry.UserId, (claimed ? entry.Status : state.Status).ToWire(), counts.Progress, CountsView.From(counts),
                records.Count, state.CreatedAt ?? createdAt, state.StartedAt, claimed ? null : state.CompletedAt, claimed ? entry.Run : state.Run, TreeLinks.For(treeId), records)
            {
                Runs = state.Runs.Select(RunView.From).ToList(),
                Error = claimed ? null : state.Error ?? (entry.Run == state.Run ? entry.Error : null),
            };
        }

        var input = (await runs.GetAsync(treeId, withInput: true, cancellationToken))?.Input;
        var tasks = input?.Tree.Tasks.Select(t => TaskView.Pending(t.ToDomain(), createdAt)).ToList() ?? [];
        var pending = tasks.Count > 0 ? Count(tasks) : entry.Counts;
        return new TreeView(treeId, entry.UserId, entry.Status.ToWire(), pending.Progress, CountsView.From(pending),
            entry.TaskCount, createdAt, null, entry.CompletedAt is { } done ? WireTime.Format(done.UtcDateTime) : null,
            entry.Run, TreeLinks.For(treeId), tasks)
        {
            Error = entry.Error,
        };
    }

    private static TaskCounts Count(IEnumerable<TaskView> tasks) => TaskCounts.Of(tasks.Select(t => t.StatusValue));

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
