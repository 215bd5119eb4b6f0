using System.Globalization;
using System.Text.Json;
using DurableFlow.Contracts;
using DurableFlow.Graph;
using Microsoft.DurableTask;

namespace DurableFlow.Orchestration;

/// <summary>
/// Wide releases in fan-out blocks (<see cref="TaskBlockOrchestration"/>): a step that releases more than the
/// run's <see cref="TreeRunInputV1.FanOutBlockSize"/> tasks hands them to sub-orchestrations of at most that
/// many, filled shard by shard (so each block writes to few shards) and each within the run's dependency-results
/// bound. The tree's orchestration then waits for a few blocks instead of thousands of activities, which keeps
/// its history small; a block's outcomes reach the scheduler together when the whole block has ended.
/// </summary>
public sealed partial class TreeOrchestration
{
    /// <summary>Tasks of blocks queued at once, at most: the rest wait for a block to end. Every queued activity
    /// is a storage queue message; 20,000 at once made Azurite stall for seconds at a time (measured: 754 tasks
    /// done in 4 minutes) while the host runs about 20 at a time anyway. Fixed by this formula and the run's
    /// block size, so replays decide the same.</summary>
    public const int BlockedTasksInFlight = 1_000;

    private readonly HashSet<string> _recorded = new(StringComparer.Ordinal);
    private readonly List<string> _runningBlocks = [];
    private readonly Queue<(string InstanceId, TaskBlockInputV1 Input)> _waitingBlocks = new();
    private int _blocks;

    private int _blockSize = 1;

    private void DispatchBlocks(TreeRunInputV1 input, StatusLayoutV1 layout, int blockSize, IReadOnlyList<ReleasedTask> released)
    {
        _blockSize = blockSize;
        var limit = input.MaxDependencyResultsBytes ?? long.MaxValue;
        var byShard = new SortedDictionary<int, List<ReleasedTask>>();
        var shardOf = ShardOf(input, layout);
        foreach (var task in released)
        {
            _attempts[task.Task.Id] = 1;
            if (DependencyResultsBytes(task.DependencyResults) > limit)
            {
                _ = ObserveAsync(RunTaskAsync(input, task)); // fails at once, with the reason
                continue;
            }

            var shard = shardOf[task.Task.Id];
            if (!byShard.TryGetValue(shard, out var tasks))
            {
                byShard[shard] = tasks = [];
            }

            tasks.Add(task);
        }

        // Even blocks of at most blockSize, shard after shard, each carrying every dependency result once.
        var ordered = byShard.Values.SelectMany(t => t).ToList();
        var count = (ordered.Count + blockSize - 1) / blockSize;
        var (started, blocks) = (0, 0); // tasks handed to blocks so far, and blocks started (of the count planned)
        var block = new List<ReleasedTask>();
        var results = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        long bytes = 0;
        for (var i = 0; i < ordered.Count; i++)
        {
            var task = ordered[i];
            var added = task.DependencyResults.Where(r => !results.ContainsKey(r.Key)).ToList();
            var more = DependencyResultsBytes(added);
            if (block.Count > 0 && (block.Count >= (ordered.Count - started + count - blocks - 1) / (count - blocks) || bytes + more > limit))
            {
                StartBlock(input, layout, block, results);
                (started, blocks) = (started + block.Count, Math.Min(blocks + 1, count - 1));
                (block, results, bytes) = ([], new Dictionary<string, JsonElement>(StringComparer.Ordinal), 0);
                added = [.. task.DependencyResults];
                more = DependencyResultsBytes(task.DependencyResults);
            }

            block.Add(task);
            foreach (var (id, result) in added)
            {
                results[id] = result;
            }

            bytes += more;
        }

        if (block.Count > 0)
        {
            StartBlock(input, layout, block, results);
        }
    }

    private void StartBlock(TreeRunInputV1 input, StatusLayoutV1 layout, List<ReleasedTask> block, Dictionary<string, JsonElement> results)
    {
        var instanceId = TaskBlockOrchestration.InstanceIdFor(input.TreeId, input.Run, _blocks++);
        var blockInput = new TaskBlockInputV1(input.TreeId, input.Run, input.Tree.UseDemo, layout, block.Select(t => t.Task.ToWire()).ToList(), results);
        _waitingBlocks.Enqueue((instanceId, blockInput));
        StartWaitingBlocks(input.FanOutBlockSize ?? 1);
    }

    /// <summary>Starts waiting blocks, in order, while fewer than <see cref="BlockedTasksInFlight"/> tasks are in running blocks.</summary>
    private void StartWaitingBlocks(int blockSize)
    {
        var most = Math.Max(2, BlockedTasksInFlight / Math.Max(1, blockSize));
        while (_runningBlocks.Count < most && !_stopRetries.IsCancellationRequested && _waitingBlocks.TryDequeue(out var next))
        {
            _runningBlocks.Add(next.InstanceId);
            _ = ObserveAsync(RunBlockAsync(next.InstanceId, next.Input));
        }
    }

    private async Task RunBlockAsync(string instanceId, TaskBlockInputV1 block)
    {
        TaskBlockResultV1? result = null;
        string? failure = null;
        try
        {
            result = await _context.CallSubOrchestratorAsync<TaskBlockResultV1>(TaskBlockOrchestration.Name, block, new SubOrchestrationOptions { InstanceId = instanceId });
        }
        catch (TaskFailedException ex)
        {
            failure = string.Create(CultureInfo.InvariantCulture, $"its fan-out block {instanceId} failed: {ex.FailureDetails.ErrorMessage}");
        }

        _runningBlocks.Remove(instanceId);
        StartWaitingBlocks(_blockSize);
        if (result is not null)
        {
            foreach (var outcome in result.Outcomes)
            {
                _finished.Enqueue(new Finished(outcome.TaskId, outcome.Attempts, outcome.Result, Recorded: true));
            }
        }
        else
        {
            // The block's orchestration failed: its tasks fail with why, recorded by this orchestration.
            foreach (var task in block.Tasks)
            {
                _finished.Enqueue(new Finished(task.Id, 1, TaskRunResultV1.Failure(failure!)));
            }
        }

        _wake?.TrySetResult();
    }

    /// <summary>A cancel reaches the running blocks too, so they stop retrying; blocks still waiting never start
    /// and their tasks end cancelled.</summary>
    private void ForwardCancel()
    {
        while (_waitingBlocks.TryDequeue(out var waiting))
        {
            foreach (var task in waiting.Input.Tasks)
            {
                _finished.Enqueue(new Finished(task.Id, 0, TaskRunResultV1.Failure("cancelled before it started: the tree was cancelled")));
            }
        }

        _wake?.TrySetResult();

        foreach (var instanceId in _runningBlocks)
        {
            _context.SendEvent(instanceId, CancelEvent, null!);
        }
    }
}
