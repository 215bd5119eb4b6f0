using DurableFlow.Contracts;
using DurableFlow.Graph;

namespace DurableFlow.Records;

/// <summary>
/// How task records change, the same for the tree's status entity (records of trees submitted before the
/// sharded layout) and a shard entity (a subset of a tree's records): a run's start resets the records it runs
/// and keeps the carried ones; a change only moves a record forward (pending → in progress → ended), so a
/// repeated or late change is harmless; a fault fails every record not ended.
/// </summary>
public static class TaskRecords
{
    /// <summary>The records of a run that starts with <paramref name="start"/>, built from the records of the
    /// run before (<paramref name="previous"/>): carried tasks keep theirs, the others start pending with the
    /// attempts made so far.</summary>
    public static List<TaskRecordV1> Start(IReadOnlyList<TaskRecordV1> previous, RunStartV1 start, string? createdAt)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(start);
        var before = new Dictionary<string, TaskRecordV1>(previous.Count, StringComparer.Ordinal);
        foreach (var record in previous)
        {
            before[record.Id] = record;
        }

        var carried = new HashSet<string>(start.Carried ?? [], StringComparer.Ordinal);
        var records = new List<TaskRecordV1>(start.Tasks.Count);
        for (var i = 0; i < start.Tasks.Count; i++)
        {
            var task = start.Tasks[i];
            var old = before.GetValueOrDefault(task.Id);
            if (old is not null && carried.Contains(task.Id))
            {
                records.Add(old); // completed earlier and kept: its record stays as it was
                continue;
            }

            records.Add(new TaskRecordV1
            {
                Id = task.Id,
                Name = task.Name,
                ParentId = task.ParentId,
                Priority = task.Priority,
                Dependencies = [.. task.Dependencies ?? []],
                Inputs = task.Inputs,
                Status = TaskRunStatus.Pending,
                Attempts = old?.Attempts ?? 0,
                PriorAttempts = old?.Attempts ?? 0,
                CreatedAt = createdAt,
                Index = start.Indexes is { } indexes ? indexes[i] : null,
            });
        }

        return records;
    }

    /// <summary>Applies <paramref name="changes"/> at <paramref name="at"/> (wire time) to the records they name.</summary>
    public static void Apply(IReadOnlyList<TaskRecordV1> records, IReadOnlyList<TaskStatusChangeV1> changes, string at)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return;
        }

        // Small updates (a chain's hop) look records up directly; big ones index them once.
        Func<string, TaskRecordV1?> find;
        if (changes.Count <= 4)
        {
            find = id => records.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.Ordinal));
        }
        else
        {
            var byId = new Dictionary<string, TaskRecordV1>(records.Count, StringComparer.Ordinal);
            foreach (var record in records)
            {
                byId[record.Id] = record;
            }

            find = byId.GetValueOrDefault;
        }

        foreach (var change in changes)
        {
            var record = find(change.TaskId);
            if (record is null || Rank(change.Status) <= Rank(record.Status))
            {
                continue;
            }

            var when = change.At is { } stamped ? WireTime.Format(stamped) : at;
            record.Status = change.Status;
            record.Attempts = Math.Max(record.Attempts, record.PriorAttempts + Math.Max(change.Attempts, change.Status == TaskRunStatus.InProgress ? 1 : 0));
            if (change.Status == TaskRunStatus.InProgress)
            {
                record.StartedAt = when;
            }
            else
            {
                record.CompletedAt = when;
                record.RanAt = change.RanAt is { } ranAt ? WireTime.Format(ranAt) : null;
                record.RanUntil = change.RanUntil is { } ranUntil ? WireTime.Format(ranUntil) : null;
                record.Result = change.Result;
                record.ResultApart = change.ResultApart;
                record.Error = change.Error;
                record.Progress = 1;
            }
        }
    }

    /// <summary>Fails every record not ended with <paramref name="error"/> (the run ended by a fault).</summary>
    public static void FailUnfinished(IEnumerable<TaskRecordV1> records, string at, string error)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records.Where(t => t.Status is TaskRunStatus.Pending or TaskRunStatus.InProgress))
        {
            record.Status = TaskRunStatus.Failed;
            record.Error = UnfinishedTaskError + error;
            record.CompletedAt = at;
            record.Progress = 1;
        }
    }

    /// <summary>The error of a task that had not ended, before the run's error.</summary>
    public const string UnfinishedTaskError = "the run ended before this task finished: ";

    /// <summary>0 pending, 1 in progress, 2 ended: a record only moves up.</summary>
    public static int Rank(TaskRunStatus status) => status switch
    {
        TaskRunStatus.Pending => 0,
        TaskRunStatus.InProgress => 1,
        _ => 2,
    };
}
