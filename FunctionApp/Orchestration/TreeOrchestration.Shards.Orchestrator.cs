using DurableFlow.Contracts;
using DurableFlow.Graph;
using DurableFlow.Status;
using Microsoft.DurableTask;

namespace DurableFlow.Orchestration;

/// <summary>
/// The sharded status layout (<see cref="StatusLayoutV1"/>). A step's changes wait in a buffer, each stamped
/// with its step's time; at most once a <see cref="StatusInterval"/> the buffer goes out, each change only to
/// the shard of its task, with the tree's summary (status, counts). So status work is O(tasks that changed),
/// and the number of entity messages is bounded by the time a run takes, not by its steps: a fast chain or a
/// wide fan-out costs a few messages a second instead of several per step. A step that changes something
/// right after a flush sets a timer, so records are never more than an interval behind. The run's start and
/// end go out at once, confirmed (see <see cref="SignalShardsAsync"/> and <see cref="ConfirmShardsAsync"/>).
/// </summary>
public sealed partial class TreeOrchestration
{
    /// <summary>Shortest time between two flushes while steps keep coming.</summary>
    public static readonly TimeSpan StatusInterval = TimeSpan.FromSeconds(1);

    /// <summary>When steps stop coming, how long the last changes wait at most (see <see cref="FlushDue"/>).</summary>
    public static readonly TimeSpan TrailingFlushDelay = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopFlushTimer = new();
    private readonly List<TaskStatusChangeV1> _buffered = [];
    private Dictionary<string, int>? _shardOf;
    private DateTime _flushedAt;
    private bool _stale;
    private Task? _flushTimer;

    /// <summary>
    /// Sends each shard its part of <paramref name="batch"/>. Results larger than the layout keeps inline go to
    /// their own entities first (and are confirmed), so a reader that finds a record ended finds its result. A
    /// run's first step (<paramref name="start"/>) gives every shard its outlines and waits until each has them:
    /// the summary says the run started only after every record of it exists.
    /// </summary>
    private async Task SignalShardsAsync(TreeRunInputV1 input, StatusLayoutV1 layout, TaskStatusChangeV1[] batch, TreeStatus status, DateTime at, RunStartV1? start, string? error)
    {
        await LargeResults.KeepApartAsync(_context, input.TreeId, input.Run, layout, batch);

        var shardOf = ShardOf(input, layout);
        var changes = new List<TaskStatusChangeV1>?[layout.Shards];
        foreach (var change in batch)
        {
            if (shardOf.TryGetValue(change.TaskId, out var shard))
            {
                (changes[shard] ??= []).Add(change);
            }
        }

        if (start is not null)
        {
            var outlines = ShardStarts(input, layout, start);
            var confirmations = new Task[layout.Shards];
            for (var shard = 0; shard < layout.Shards; shard++)
            {
                var update = new StatusUpdateV1(input.Run, at, status, changes[shard] ?? [], outlines[shard], error);
                confirmations[shard] = error is null
                    ? _context.Entities.CallEntityAsync(TaskShardEntity.IdFor(input.TreeId, shard), TreeStatusEntity.ApplyOperation, update)
                    : _context.Entities.SignalEntityAsync(TaskShardEntity.IdFor(input.TreeId, shard), TreeStatusEntity.ApplyOperation, update);
            }

            await Task.WhenAll(confirmations);
            return;
        }

        for (var shard = 0; shard < layout.Shards; shard++)
        {
            if (changes[shard] is { } part || error is not null)
            {
                await SignalChunkedAsync(TaskShardEntity.IdFor(input.TreeId, shard), input, at, status, changes[shard] ?? [], null, error);
            }
        }
    }

    /// <summary>
    /// The end of a sharded run, before its outcome is recorded: sends what is buffered, then waits until every
    /// shard has applied every update sent to it (signals from one orchestration to one entity arrive in order,
    /// so a call behind them returns after them). The summary hears of the end after the index row (see
    /// <c>RunToEndAsync</c>), so a reader that sees the end finds every record final.
    /// </summary>
    private async Task ConfirmShardsAsync(TreeRunInputV1 input, StatusLayoutV1 layout, TreeStatus status)
    {
        _stopFlushTimer.Cancel();
        var at = _context.CurrentUtcDateTime;
        if (_buffered.Count > 0)
        {
            await SignalShardsAsync(input, layout, [.. TakeBuffered()], status, at, null, null);
        }

        var confirmations = new Task[layout.Shards];
        for (var shard = 0; shard < layout.Shards; shard++)
        {
            confirmations[shard] = _context.Entities.CallEntityAsync(TaskShardEntity.IdFor(input.TreeId, shard), TreeStatusEntity.ApplyOperation,
                new StatusUpdateV1(input.Run, at, status, []));
        }

        await Task.WhenAll(confirmations);
    }

    /// <summary>Keeps a step's changes for the next flush, each stamped with the step's time.</summary>
    private void Buffer(List<TaskStatusChangeV1> batch, DateTime at)
    {
        foreach (var change in batch)
        {
            _buffered.Add(change with { At = at });
        }

        _stale = true;
    }

    private TaskStatusChangeV1[] TakeBuffered()
    {
        var taken = _buffered.ToArray();
        _buffered.Clear();
        return taken;
    }

    /// <summary>A timer for the next flush, when something changed since the last one.</summary>
    private Task? FlushDue(TreeRunInputV1 input)
    {
        if (input.Layout is null || !_stale)
        {
            return null;
        }

        if (_flushTimer is null || _flushTimer.IsCompleted)
        {
            // Two intervals from now: on Azure Storage the host turns a timer into a queue message whose delay is
            // (due - its own clock when the episode ends), cut to whole seconds, so a timer due 1 s after the
            // episode's start time fires at once. Measured on the real host: every step of a chain flushed.
            _flushTimer = _context.CreateTimer(_context.CurrentUtcDateTime + TrailingFlushDelay, _stopFlushTimer.Token);
        }

        return _flushTimer;
    }

    /// <summary>Sends the buffered changes to their shards and the counts to the summary.</summary>
    private async Task FlushAsync(TreeRunInputV1 input, StatusLayoutV1 layout, TreeStatus status, TaskCounts counts)
    {
        if (!_stale)
        {
            return;
        }

        var at = _context.CurrentUtcDateTime;
        (_stale, _flushedAt) = (false, at);
        if (_buffered.Count > 0)
        {
            await SignalShardsAsync(input, layout, TakeBuffered(), status, at, null, null);
        }

        await _context.Entities.SignalEntityAsync(TreeStatusEntity.IdFor(input.TreeId), TreeStatusEntity.SummarizeOperation,
            new TreeSummaryUpdateV1(input.Run, at, status, counts.ToWire(), null, layout.Shards, input.Tree.Tasks.Count));
    }

    /// <summary>The summary's part of a run's start: identity only, no outlines.</summary>
    private static RunStartV1 SummaryStart(RunStartV1 start) => start with { Tasks = [], Carried = null, Indexes = null };

    private Dictionary<string, int> ShardOf(TreeRunInputV1 input, StatusLayoutV1 layout)
    {
        if (_shardOf is null)
        {
            var tasks = input.Tree?.Tasks ?? [];
            _shardOf = new Dictionary<string, int>(tasks.Count, StringComparer.Ordinal);
            foreach (var task in tasks)
            {
                _shardOf[task.Id] = TaskShards.Of(task.Id, layout.Shards);
            }
        }

        return _shardOf;
    }

    /// <summary>Each shard's part of a run's start: its tasks' outlines, positions and carried ids.</summary>
    private RunStartV1[] ShardStarts(TreeRunInputV1 input, StatusLayoutV1 layout, RunStartV1 start)
    {
        var shardOf = ShardOf(input, layout);
        var tasks = new List<TaskDefinitionV1>[layout.Shards];
        var indexes = new List<int>[layout.Shards];
        var carried = new List<string>[layout.Shards];
        for (var shard = 0; shard < layout.Shards; shard++)
        {
            (tasks[shard], indexes[shard], carried[shard]) = ([], [], []);
        }

        for (var i = 0; i < start.Tasks.Count; i++)
        {
            var shard = shardOf[start.Tasks[i].Id];
            tasks[shard].Add(start.Tasks[i]);
            indexes[shard].Add(i);
        }

        foreach (var id in start.Carried ?? [])
        {
            if (shardOf.TryGetValue(id, out var shard))
            {
                carried[shard].Add(id);
            }
        }

        var starts = new RunStartV1[layout.Shards];
        for (var shard = 0; shard < layout.Shards; shard++)
        {
            starts[shard] = start with { Tasks = tasks[shard], Carried = carried[shard], Indexes = indexes[shard] };
        }

        return starts;
    }
}
