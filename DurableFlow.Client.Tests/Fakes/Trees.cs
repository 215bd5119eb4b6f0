using System.Globalization;

namespace DurableFlow.Client.Tests.Fakes;

/// <summary>Tree reads and tasks pages as the API would answer them.</summary>
internal static class Trees
{
    /// <summary>The summary view: <see cref="View"/> without its tasks (no <c>tasks</c> key at all).</summary>
    public static TreeView Summary(string treeId, string status, params (string Id, string Status)[] tasks) =>
        View(treeId, status, tasks) with { Tasks = null };

    /// <summary>A tasks page of <paramref name="tasks"/> (their records as in <see cref="View"/>), continued by <paramref name="continuation"/>.</summary>
    public static TaskPage Page(string treeId, string? continuation, params (string Id, string Status)[] tasks) => new()
    {
        TreeId = treeId,
        Run = 1,
        Tasks = View(treeId, TreeStatuses.InProgress, tasks).Tasks!,
        Continuation = continuation,
        Links = new TaskPageLinks { Next = continuation is null ? null : $"/api/trees/{treeId}/tasks?continuation={continuation}" },
    };

    public static TreeView View(string treeId, string status, params (string Id, string Status)[] tasks)
    {
        var counts = new TaskCounts
        {
            Pending = tasks.Count(t => t.Status == TaskStatuses.Pending),
            InProgress = tasks.Count(t => t.Status == TaskStatuses.InProgress),
            Completed = tasks.Count(t => t.Status == TaskStatuses.Completed),
            Failed = tasks.Count(t => t.Status == TaskStatuses.Failed),
            Skipped = tasks.Count(t => t.Status == TaskStatuses.Skipped),
            Cancelled = tasks.Count(t => t.Status == TaskStatuses.Cancelled),
        };
        return new TreeView
        {
            TreeId = treeId,
            UserId = "tutorial_user",
            Status = status,
            Counts = counts,
            TaskCount = tasks.Length,
            Progress = tasks.Length == 0 ? 0 : (double)counts.Ended / tasks.Length,
            CreatedAt = "2026-12-02T10:00:00.000Z",
            Run = 1,
            Links = new TreeLinks { Self = "/api/trees/" + treeId, Cancel = "/api/trees/" + treeId + "/cancel", Tasks = "/api/trees/" + treeId + "/tasks" },
            Tasks = tasks.Select((t, i) => new TaskView
            {
                Id = t.Id,
                Name = "system_info_executor",
                Status = t.Status,
                Priority = 1,
                Dependencies = i == 0 ? [] : [new DependencyView(tasks[0].Id, true)],
                Error = t.Status == TaskStatuses.Failed ? "unknown resource 'gpu'" : null,
                Attempts = t.Status == TaskStatuses.Pending ? 0 : 1,
                CreatedAt = "2026-12-02T10:00:00.000Z",
                StartedAt = t.Status == TaskStatuses.Pending ? null : "2026-12-02T10:00:01.000Z",
                CompletedAt = t.Status is TaskStatuses.Pending or TaskStatuses.InProgress ? null
                    : "2026-12-02T10:00:0" + (2 + i).ToString(CultureInfo.InvariantCulture) + ".500Z",
            }).ToList(),
        };
    }
}
