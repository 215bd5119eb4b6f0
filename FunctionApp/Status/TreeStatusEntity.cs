using System.Text.Json;
using DurableFlow.Graph;
using Microsoft.DurableTask.Entities;

namespace DurableFlow.Status;

/// <summary>
/// The status records of one tree (entity key = tree id): one entity per tree, so one read returns the
/// whole tree and one signal per scheduling step updates it. Updates are idempotent and monotonic: a
/// repeated or stale update never moves a record backwards.
/// </summary>
public sealed class TreeStatusEntity : TaskEntity<TreeStatusState>
{
    /// <summary>Entity name (Durable lower-cases it).</summary>
    public const string EntityName = "TreeStatus";

    /// <summary>How many runs the short run history keeps.</summary>
    public const int MaxRunsKept = 20;

    /// <summary>Operation applying a <see cref="StatusUpdate"/>.</summary>
    public const string ApplyOperation = nameof(Apply);

    /// <summary>Applies one scheduling step's changes.</summary>
    public void Apply(StatusUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var state = State;
        if (update.Run < state.Run)
        {
            return; // an update of a run that a newer run has replaced
        }

        var at = ToWireTime(update.At);
        if (update.Start is { } start)
        {
            StartRun(state, update.Run, start, at);
        }

        if (state.Tasks.Count == 0)
        {
            return; // nothing to update before the run's outline arrived
        }

        var byId = state.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        foreach (var change in update.Changes)
        {
            var record = byId.GetValueOrDefault(change.TaskId);
            if (record is null || Rank(change.Status) <= Rank(record.Status))
            {
                continue;
            }

            record.Status = change.Status;
            record.Attempts = Math.Max(record.Attempts, record.PriorAttempts + Math.Max(change.Attempts, change.Status == TaskStatus.InProgress ? 1 : 0));
            if (change.Status == TaskStatus.InProgress)
            {
                record.StartedAt = at;
            }
            else
            {
                record.CompletedAt = at;
                record.Result = change.Result;
                record.Error = change.Error;
                record.Progress = 1;
            }
        }

        if (Rank(update.TreeStatus) > Rank(state.Status))
        {
            state.Status = update.TreeStatus;
            if (update.TreeStatus.IsTerminal())
            {
                state.CompletedAt = at;
            }

            if (state.Runs.Count > 0 && state.Runs[^1].Run == update.Run)
            {
                state.Runs[^1].Status = update.TreeStatus;
                state.Runs[^1].CompletedAt = state.CompletedAt;
            }
        }
    }

    /// <summary>Returns the whole state (what status queries read).</summary>
    public TreeStatusState Get() => State;

    protected override TreeStatusState InitializeState(TaskEntityOperation entityOperation) => new();

    private static void StartRun(TreeStatusState state, int run, RunStart start, string at)
    {
        if (state.Run == run && state.Tasks.Count > 0)
        {
            return; // a repeated first signal of this run
        }

        var previous = state.Tasks.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var carried = new HashSet<string>(start.Carried ?? [], StringComparer.Ordinal);
        state.TreeId = start.TreeId;
        state.UserId = start.UserId;
        state.CreatedAt ??= ToWireTime(start.CreatedAt);
        state.Run = run;
        state.Status = TreeStatus.InProgress;
        state.StartedAt = at;
        state.CompletedAt = null;
        state.Runs.Add(new RunSummary { Run = run, StartedAt = at, Status = TreeStatus.InProgress });
        if (state.Runs.Count > MaxRunsKept)
        {
            state.Runs.RemoveRange(0, state.Runs.Count - MaxRunsKept);
        }

        state.Tasks = start.Tasks.Select(t =>
        {
            var before = previous.GetValueOrDefault(t.Id);
            if (before is not null && carried.Contains(t.Id))
            {
                return before; // completed earlier and kept: its record stays as it was
            }

            return new TaskRecord
            {
                Id = t.Id,
                Name = t.Name,
                ParentId = t.ParentId,
                Priority = t.Priority,
                Dependencies = [.. t.Dependencies],
                Inputs = t.Inputs,
                Status = TaskStatus.Pending,
                Attempts = before?.Attempts ?? 0,
                PriorAttempts = before?.Attempts ?? 0,
                CreatedAt = state.CreatedAt,
            };
        }).ToList();
    }

    private static int Rank(TaskStatus status) => status switch
    {
        TaskStatus.Pending => 0,
        TaskStatus.InProgress => 1,
        _ => 2,
    };

    private static int Rank(TreeStatus status) => status switch
    {
        TreeStatus.Pending => 0,
        TreeStatus.InProgress => 1,
        _ => 2,
    };

    /// <summary>ISO-8601 UTC with a Z, as every timestamp of the API.</summary>
    public static string ToWireTime(DateTime time) =>
        DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The state of a tree's status entity.</summary>
public sealed class TreeStatusState
{
    public string? TreeId { get; set; }

    public string? UserId { get; set; }

    public int Run { get; set; }

    public TreeStatus Status { get; set; }

    public string? CreatedAt { get; set; }

    public string? StartedAt { get; set; }

    public string? CompletedAt { get; set; }

    public List<TaskRecord> Tasks { get; set; } = [];

    /// <summary>The latest runs, oldest first (at most <see cref="TreeStatusEntity.MaxRunsKept"/>).</summary>
    public List<RunSummary> Runs { get; set; } = [];
}

/// <summary>One run of a tree in the run history.</summary>
public sealed class RunSummary
{
    public int Run { get; set; }

    public string? StartedAt { get; set; }

    public string? CompletedAt { get; set; }

    public TreeStatus Status { get; set; }
}

/// <summary>The status record of one task.</summary>
public sealed class TaskRecord
{
    public string Id { get; set; } = "";

    public string Name { get; set; } = "";

    public string? ParentId { get; set; }

    public int Priority { get; set; }

    public List<TaskDependency> Dependencies { get; set; } = [];

    public JsonElement? Inputs { get; set; }

    public TaskStatus Status { get; set; }

    public JsonElement? Result { get; set; }

    public string? Error { get; set; }

    /// <summary>0 until the task ends, then 1.</summary>
    public double Progress { get; set; }

    /// <summary>Attempts over every run of the tree.</summary>
    public int Attempts { get; set; }

    /// <summary>Attempts made in earlier runs (so this run's count adds to them).</summary>
    public int PriorAttempts { get; set; }

    public string? CreatedAt { get; set; }

    public string? StartedAt { get; set; }

    public string? CompletedAt { get; set; }
}
