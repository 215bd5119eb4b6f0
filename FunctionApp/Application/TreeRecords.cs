using System.Runtime.InteropServices;
using System.Text.Json;
using DurableFlow.Contracts;
using DurableFlow.Graph;
using DurableFlow.Records;
using DurableFlow.Storage;

namespace DurableFlow.Application;

/// <summary>
/// A tree's task records, whichever layout holds them: all in the tree's status entity (trees submitted before
/// the sharded layout), or in shard entities with large results kept apart (<see cref="StatusLayoutV1"/>). One
/// task costs one shard read, a page a few; only a rerun reads them all.
/// </summary>
public static class TreeRecords
{
    /// <summary>Most tasks on one page.</summary>
    public const int MaxPageLimit = 1_000;

    /// <summary>A page with results ends once they pass this many bytes (at least one task is always returned).</summary>
    public const long MaxPageResultBytes = 4 * 1024 * 1024;

    /// <summary>Shards a page reads before it answers with what it found (a sparse status filter).</summary>
    public const int MaxShardsPerPage = 64;

    /// <summary>Shards read at once.</summary>
    private const int ParallelReads = 8;

    /// <summary>The shard count of the tree, or null when its records are all in its status entity.</summary>
    public static int? ShardsOf(TreeIndexEntry entry, TreeStatusStateV1? state) => entry?.Shards ?? state?.Shards;

    /// <summary>Whether the status entity has heard of a run of the tree.</summary>
    public static bool HasRun(TreeStatusStateV1? state) => state is not null && (state.Tasks.Count > 0 || state.Shards is not null);

    /// <summary>
    /// Whether the index row records the end of the run the summary still says runs: with the sharded layout the
    /// orchestrator writes the index row (after confirming every shard) and then tells the summary, so for a
    /// moment the index row is the newer of the two. Every record is final by then.
    /// </summary>
    public static bool IndexAhead(TreeIndexEntry entry, TreeStatusStateV1? state) =>
        state is { Shards: not null } && !state.Status.IsTerminal() && entry is not null && entry.Status.IsTerminal() && entry.Run == state.Run;

    /// <summary>Tasks per status as the status entity holds them.</summary>
    public static TaskCounts CountsOf(TreeStatusStateV1 state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.Shards is not null && state.Counts is { } counts
            ? new TaskCounts(counts.Pending, counts.InProgress, counts.Completed, counts.Failed, counts.Skipped, counts.Cancelled)
            : TaskCounts.Of(state.Tasks.Select(t => t.Status));
    }

    /// <summary>One task's record with its result in place, or null when the tree has no such task.</summary>
    public static async Task<TaskRecordV1?> ReadTaskAsync(TreeIndexEntry entry, TreeStatusStateV1? state, string taskId, ITreeRuns runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(runs);
        if (ShardsOf(entry, state) is not { } shards)
        {
            return state?.Tasks.FirstOrDefault(t => t.Id == taskId) ?? (await PendingAllFromInputAsync(entry, runs, cancellationToken, t => t.Id == taskId)).FirstOrDefault();
        }

        var shard = TaskShards.Of(taskId, shards);
        var records = await ShardRecordsAsync(entry, runs, shards, shard, InputOnce(entry, runs, cancellationToken), cancellationToken);
        var record = records.FirstOrDefault(t => t.Id == taskId);
        if (record is { ResultApart: true })
        {
            await ResolveApartAsync(entry.TreeId, [record], runs, cancellationToken);
        }

        return record;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> records from <paramref name="from"/> on that <paramref name="filter"/>
    /// accepts, in a stable order (shard by shard, each in submission order). With <paramref name="withResults"/>
    /// results kept apart are read in, and the page ends once its results pass <see cref="MaxPageResultBytes"/>.
    /// </summary>
    public static async Task<TaskRecordPage> ReadPageAsync(TreeIndexEntry entry, TreeStatusStateV1? state, TaskPageToken from, int limit,
        Func<TaskRecordV1, bool>? filter, bool withResults, ITreeRuns runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(runs);
        filter ??= _ => true;
        var page = new List<TaskRecordV1>(Math.Min(limit, 256));
        long resultBytes = 0;
        if (ShardsOf(entry, state) is not { } shards)
        {
            var all = state is not null && HasRun(state) ? state.Tasks : await PendingAllFromInputAsync(entry, runs, cancellationToken);
            for (var i = from.Offset; i < all.Count; i++)
            {
                if (page.Count >= limit || (withResults && resultBytes > MaxPageResultBytes))
                {
                    return new TaskRecordPage(page, new TaskPageToken(0, i));
                }

                if (filter(all[i]))
                {
                    page.Add(all[i]);
                    resultBytes += ResultBytes(all[i]);
                }
            }

            return new TaskRecordPage(page, null);
        }

        var input = InputOnce(entry, runs, cancellationToken);
        var shard = from.Shard;
        var offset = from.Offset;
        var shardsRead = 0;
        var positions = new List<TaskPageToken>();
        while (shard < shards && shardsRead < MaxShardsPerPage)
        {
            // Read ahead as many shards as the page will probably need, a few at a time.
            var batch = Math.Min(Math.Min(ParallelReads, shards - shard), Math.Max(1, ((limit - page.Count) / TaskShards.RecordsPerShard) + 1));
            var reads = new Task<IReadOnlyList<TaskRecordV1>>[batch];
            for (var i = 0; i < batch; i++)
            {
                reads[i] = ShardRecordsAsync(entry, runs, shards, shard + i, input, cancellationToken);
            }

            var read = await Task.WhenAll(reads);
            for (var i = 0; i < batch; i++, shard++, offset = 0, shardsRead++)
            {
                var records = read[i];
                for (var k = offset; k < records.Count; k++)
                {
                    if (page.Count >= limit || (withResults && resultBytes > MaxPageResultBytes))
                    {
                        return await FinishAsync(new TaskPageToken(shard, k));
                    }

                    if (filter(records[k]))
                    {
                        page.Add(records[k]);
                        positions.Add(new TaskPageToken(shard, k));
                        resultBytes += ResultBytes(records[k]);
                    }
                }
            }
        }

        return await FinishAsync(shard < shards ? new TaskPageToken(shard, 0) : null);

        // Results kept apart are read in page order; once the page's results pass the bound, it ends there.
        async Task<TaskRecordPage> FinishAsync(TaskPageToken? next)
        {
            if (!withResults || !page.Any(r => r.ResultApart == true))
            {
                return new TaskRecordPage(page, next);
            }

            long bytes = 0;
            for (var i = 0; i < page.Count; i += ParallelReads)
            {
                var part = page.Skip(i).Take(ParallelReads).ToList();
                await ResolveApartAsync(entry.TreeId, part.Where(r => r.ResultApart == true).ToList(), runs, cancellationToken);
                for (var k = 0; k < part.Count; k++)
                {
                    if (i + k > 0 && bytes > MaxPageResultBytes)
                    {
                        return new TaskRecordPage(page.Take(i + k).ToList(), positions[i + k]);
                    }

                    bytes += ResultBytes(part[k]);
                }
            }

            return new TaskRecordPage(page, next);
        }
    }

    /// <summary>Every record of the tree with every result in place (a rerun carries them).</summary>
    public static async Task<IReadOnlyList<TaskRecordV1>> ReadAllAsync(TreeIndexEntry entry, TreeStatusStateV1? state, ITreeRuns runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (ShardsOf(entry, state) is not { } shards)
        {
            return state?.Tasks ?? [];
        }

        var input = InputOnce(entry, runs, cancellationToken);
        var all = new List<TaskRecordV1>(entry.TaskCount);
        for (var shard = 0; shard < shards; shard += ParallelReads)
        {
            var reads = Enumerable.Range(shard, Math.Min(ParallelReads, shards - shard))
                .Select(s => ShardRecordsAsync(entry, runs, shards, s, input, cancellationToken)).ToList();
            foreach (var records in await Task.WhenAll(reads))
            {
                all.AddRange(records);
            }
        }

        await ResolveApartAsync(entry.TreeId, all.Where(r => r.ResultApart == true && r.Status == TaskRunStatus.Completed).ToList(), runs, cancellationToken);
        return all;
    }

    /// <summary>
    /// Records that run <paramref name="run"/> ended by a fault (<paramref name="error"/>): the tree failed, every
    /// task not ended failed with it. Signals, so the records show it a moment later; readers apply the same
    /// rule to what they read meanwhile (<see cref="ShowEnded"/>).
    /// </summary>
    public static async Task RecordFaultAsync(TreeIndexEntry entry, TreeStatusStateV1? state, int run, TaskCounts counts, DateTime at, string error, ITreeRuns runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(runs);
        var fault = new StatusUpdateV1(run, at, TreeStatus.Failed, [], null, error);
        if (ShardsOf(entry, state) is not { } shards)
        {
            await runs.SignalStatusAsync(entry.TreeId, fault, cancellationToken);
            return;
        }

        for (var shard = 0; shard < shards; shard++)
        {
            await runs.SignalShardAsync(entry.TreeId, shard, fault, cancellationToken);
        }

        await runs.SignalSummaryAsync(entry.TreeId, new TreeSummaryUpdateV1(run, at, TreeStatus.Failed, counts.ToWire(), null, shards, entry.TaskCount, error), cancellationToken);
    }

    /// <summary>A record as a reader should see it once its tree's run ended by a fault that the record has not
    /// heard of yet: failed, like the status entity will soon hold it.</summary>
    public static TaskRecordV1 ShowEnded(TaskRecordV1 record, string at, string error)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Status is not (TaskRunStatus.Pending or TaskRunStatus.InProgress))
        {
            return record;
        }

        var copy = Copy(record);
        TaskRecords.FailUnfinished([copy], at, error);
        return copy;
    }

    private static TaskRecordV1 Copy(TaskRecordV1 record) => new()
    {
        Id = record.Id, Name = record.Name, ParentId = record.ParentId, Priority = record.Priority, Dependencies = record.Dependencies,
        Inputs = record.Inputs, Status = record.Status, Result = record.Result, Error = record.Error, Progress = record.Progress,
        Attempts = record.Attempts, PriorAttempts = record.PriorAttempts, CreatedAt = record.CreatedAt, StartedAt = record.StartedAt,
        CompletedAt = record.CompletedAt, RanAt = record.RanAt, RanUntil = record.RanUntil, Index = record.Index, ResultApart = record.ResultApart,
    };

    private static long ResultBytes(TaskRecordV1 record) => record.Result is { } result ? JsonMarshal.GetRawUtf8Value(result).Length : 0;

    /// <summary>A shard's records; before the shard has heard of the tree (its first run is starting), the
    /// shard's tasks pending, from the orchestration input (read at most once per request).</summary>
    private static async Task<IReadOnlyList<TaskRecordV1>> ShardRecordsAsync(TreeIndexEntry entry, ITreeRuns runs, int shards, int shard,
        Lazy<Task<TreeRunInputV1?>> input, CancellationToken cancellationToken)
    {
        var state = await runs.ReadShardAsync(entry.TreeId, shard, cancellationToken);
        return state is { Tasks.Count: > 0 } ? state.Tasks : Pending(entry, await input.Value, t => TaskShards.Of(t.Id, shards) == shard);
    }

    /// <summary>The orchestration input, read on first use and shared by the shards of one read.</summary>
    private static Lazy<Task<TreeRunInputV1?>> InputOnce(TreeIndexEntry entry, ITreeRuns runs, CancellationToken cancellationToken) =>
        new(async () => (await runs.GetAsync(entry.TreeId, withInput: true, cancellationToken))?.Input);

    private static async Task<List<TaskRecordV1>> PendingAllFromInputAsync(TreeIndexEntry entry, ITreeRuns runs, CancellationToken cancellationToken, Func<TaskDefinitionV1, bool>? which = null) =>
        Pending(entry, await InputOnce(entry, runs, cancellationToken).Value, which);

    /// <summary>The tasks of <paramref name="input"/> that <paramref name="which"/> picks, as pending records.</summary>
    private static List<TaskRecordV1> Pending(TreeIndexEntry entry, TreeRunInputV1? input, Func<TaskDefinitionV1, bool>? which)
    {
        if (input is null)
        {
            return [];
        }

        var start = new RunStartV1(entry.TreeId, entry.UserId, input.CreatedAt, input.Tree.Tasks.Where(which ?? (_ => true)).ToList());
        return TaskRecords.Start([], start, WireTime.Format(entry.CreatedAt.UtcDateTime));
    }

    private static async Task ResolveApartAsync(string treeId, List<TaskRecordV1> records, ITreeRuns runs, CancellationToken cancellationToken)
    {
        for (var i = 0; i < records.Count; i += ParallelReads)
        {
            var part = records.Skip(i).Take(ParallelReads).ToList();
            var results = await Task.WhenAll(part.Select(r => runs.ReadResultAsync(treeId, r.Id, cancellationToken)));
            for (var k = 0; k < part.Count; k++)
            {
                // Kept before the record said so (the orchestrator confirms it first): absent only if purged.
                part[k].Result = results[k]?.Result;
            }
        }
    }
}
