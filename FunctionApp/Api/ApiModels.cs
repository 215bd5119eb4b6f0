using System.Text.Json;
using System.Text.Json.Serialization;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Status;
using DurableFlow.Storage;
using DurableFlow.Contracts;

namespace DurableFlow.Api;

/// <summary>Links of a tree.</summary>
public sealed record TreeLinks(string Self, string Cancel)
{
    public static TreeLinks For(string treeId) => new(TreeApi.TreePath(treeId), TreeApi.TreePath(treeId) + "/cancel");
}

/// <summary>Answer to a submission (202 new, 200 repeat).</summary>
public sealed record SubmitResponse(string TreeId, string Status, int TaskCount, TreeLinks Links);

/// <summary>Answer to a cancellation request (202).</summary>
public sealed record CancelResponse(string TreeId, string Status, bool CancelRequested, TreeLinks Links);

/// <summary>Tasks per status, as on the wire.</summary>
public sealed record CountsView(int Pending, int InProgress, int Completed, int Failed, int Skipped, int Cancelled)
{
    public static CountsView From(TaskCounts counts) =>
        new(counts.Pending, counts.InProgress, counts.Completed, counts.Failed, counts.Skipped, counts.Cancelled);
}

/// <summary>One task record.</summary>
public sealed record TaskView(
    string Id,
    string Name,
    string? ParentId,
    int Priority,
    IReadOnlyList<DependencyView> Dependencies,
    JsonElement? Inputs,
    string Status,
    JsonElement? Result,
    string? Error,
    double Progress,
    int Attempts,
    string? CreatedAt,
    string? StartedAt,
    string? CompletedAt)
{
    /// <summary>Child tasks (by <c>parent_id</c>), only in <c>?view=nested</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public List<TaskView>? Children { get; set; }

    internal TaskRunStatus StatusValue { get; init; }

    public static TaskView From(TaskRecordV1 record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Id, record.Name, record.ParentId, record.Priority,
            record.Dependencies.Select(d => new DependencyView(d.Id, d.Required)).ToList(),
            record.Inputs, record.Status.ToWire(), record.Result, record.Error, record.Progress, record.Attempts,
            record.CreatedAt, record.StartedAt, record.CompletedAt)
        { StatusValue = record.Status };
    }

    public static TaskView Pending(TaskDefinition task, string? createdAt)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new(task.Id, task.Name, task.ParentId, task.Priority,
            task.Dependencies.Select(d => new DependencyView(d.Id, d.Required)).ToList(),
            task.Inputs, TaskRunStatus.Pending.ToWire(), null, null, 0, 0, createdAt, null, null)
        { StatusValue = TaskRunStatus.Pending };
    }
}

/// <summary>A dependency edge of a task record.</summary>
public sealed record DependencyView(string Id, bool Required);

/// <summary><c>GET /api/trees/{tree_id}</c>.</summary>
public sealed record TreeView(
    string TreeId,
    string UserId,
    string Status,
    double Progress,
    CountsView Counts,
    int TaskCount,
    string? CreatedAt,
    string? StartedAt,
    string? CompletedAt,
    int Run,
    TreeLinks Links,
    IReadOnlyList<TaskView> Tasks)
{
    /// <summary>The latest runs, oldest first: number, started_at, completed_at, status.</summary>
    public IReadOnlyList<RunView> Runs { get; init; } = [];
}

/// <summary>One run in a tree's run history.</summary>
public sealed record RunView(int Run, string? StartedAt, string? CompletedAt, string Status)
{
    public static RunView From(RunSummaryV1 run) => new(run.Run, run.StartedAt, run.CompletedAt, run.Status.ToWire());
}

/// <summary>Answer to a rerun request (202).</summary>
public sealed record RerunResponse(string TreeId, string Status, int Run, IReadOnlyList<string> Rerun, int Carried, TreeLinks Links);

/// <summary>One tree of a list.</summary>
public sealed record TreeSummary(
    string TreeId,
    string UserId,
    string Status,
    double Progress,
    CountsView Counts,
    int TaskCount,
    string CreatedAt,
    string? CompletedAt,
    int Run,
    TreeLinks Links)
{
    public static TreeSummary From(TreeIndexEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.TreeId, entry.UserId, entry.Status.ToWire(), entry.Counts.Progress, CountsView.From(entry.Counts),
            entry.TaskCount, WireTime.Format(entry.CreatedAt.UtcDateTime),
            entry.CompletedAt is { } done ? WireTime.Format(done.UtcDateTime) : null, entry.Run, TreeLinks.For(entry.TreeId));
    }
}

/// <summary><c>GET /api/trees</c>.</summary>
public sealed record TreeListResponse(IReadOnlyList<TreeSummary> Trees, string? Continuation, string? Next);

/// <summary><c>GET /api/executors</c>.</summary>
public sealed record ExecutorListResponse(IReadOnlyList<ExecutorView> Executors);

/// <summary>One registered executor.</summary>
public sealed record ExecutorView(string Name, string Description, IReadOnlyList<ExecutorInputView> Inputs)
{
    public static ExecutorView From(ITaskExecutor executor)
    {
        ArgumentNullException.ThrowIfNull(executor);
        return new(executor.Name, executor.Description,
            executor.Inputs.Select(i => new ExecutorInputView(i.Name, i.Type, i.Required, i.Description, i.Default)).ToList());
    }
}

/// <summary>One input field of an executor.</summary>
public sealed record ExecutorInputView(string Name, string Type, bool Required, string Description, string? Default);

/// <summary><c>GET /api/health</c>.</summary>
public sealed record HealthResponse(string Status, HealthStorage Storage, string CheckedAt);

/// <summary>Whether the tree index's storage answered.</summary>
public sealed record HealthStorage(bool Reachable, string? Error);
