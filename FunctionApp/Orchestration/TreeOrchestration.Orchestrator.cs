using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using DurableFlow.Graph;
using DurableFlow.Status;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using DurableFlow.Contracts;

namespace DurableFlow.Orchestration;

/// <summary>
/// Runs one tree on Durable Functions by driving <see cref="TreeScheduler"/>: every released task starts
/// at once as an activity (with its own retries and timeout), each scheduling step records all known
/// outcomes before releasing, and each step ends with one signal to the tree's status entity.
/// Deterministic: the orchestration clock, no I/O, iteration in dispatch order.
/// </summary>
public sealed partial class TreeOrchestration : IDisposable
{
    /// <summary>Orchestrator function name.</summary>
    public const string Name = "TreeOrchestrator";

    /// <summary>External event that cancels a running tree.</summary>
    public const string CancelEvent = "cancel";

    /// <summary>Activity that runs one attempt of one task.</summary>
    public const string RunTaskActivity = "RunTask";

    /// <summary>Activity that loads the parts of a run input kept in the run-input store.</summary>
    public const string LoadRunPartsActivity = "LoadRunParts";

    /// <summary>Activity that records a finished run in the tree index.</summary>
    public const string RecordOutcomeActivity = "RecordTreeOutcome";

    private readonly TaskOrchestrationContext _context;
    private readonly Queue<Finished> _finished = new();
    private readonly CancellationTokenSource _stopRetries = new();
    private readonly CancellationTokenSource _stopWaitingForCancel = new();
    private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskRunResultV1> _finalResults = new(StringComparer.Ordinal);
    private TaskCompletionSource? _wake;
    private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _fault;
    private TreeScheduler? _scheduler;
    private bool _started;

    public TreeOrchestration(TaskOrchestrationContext context) => _context = context;

    /// <summary>Longest fault description recorded (the tree's <c>error</c>).</summary>
    public const int MaxFaultLength = 2_000;

    public void Dispose()
    {
        _stopRetries.Dispose();
        _stopWaitingForCancel.Dispose();
        _stopFlushTimer.Dispose();
    }

    /// <summary>
    /// Runs the tree. Whatever goes wrong inside (a bug, an input the engine cannot honour) ends the run
    /// <c>failed</c> with an error that says what happened — recorded in the status entity and the tree index
    /// like any other end — instead of failing the orchestration and leaving both saying "running". Only the
    /// fault path takes extra actions, so the history of a run that succeeds is what it always was.
    /// </summary>
    public async Task<TreeRunOutcomeV1> RunAsync(TreeRunInputV1 input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var startedAt = _context.CurrentUtcDateTime;
        try
        {
            if (input.PartsStored == true)
            {
                // A big tree's tasks (and a rerun's carried results) were kept apart from the input: load them once.
                var parts = await _context.CallActivityAsync<TreeRunPartsV1>(LoadRunPartsActivity, new TreeRunPartsKeyV1(input.TreeId, input.Run));
                input = input with { Tree = input.Tree with { Tasks = parts.Tasks }, Carried = parts.Carried, PartsStored = null };
            }

            return await RunToEndAsync(input, startedAt);
        }
#pragma warning disable CA1031 // any fault: the run must end visibly failed, not wedged
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return await EndByFaultAsync(input, startedAt, ex);
        }
    }

    private async Task<TreeRunOutcomeV1> RunToEndAsync(TreeRunInputV1 input, DateTime startedAt)
    {
        var tree = input.Tree.ToDomain();
        var scheduler = _scheduler = new TreeScheduler(TaskGraph.Build(tree), tree.MaxParallelism, input.Carried);

        var cancelRequested = _context.WaitForExternalEvent<object?>(CancelEvent, _stopWaitingForCancel.Token);

        Dispatch(input, scheduler.Start());
        await SignalAsync(input, scheduler, new RunStartV1(input.TreeId, input.UserId, input.CreatedAt, input.Tree.Tasks, input.Carried?.Keys.ToList()));

        while (!scheduler.IsFinished)
        {
            if (_finished.Count == 0 && _fault is null)
            {
                _wake = new TaskCompletionSource();
                var waits = new List<Task>(3) { _wake.Task };
                if (!scheduler.IsCancelled)
                {
                    waits.Add(cancelRequested);
                }

                if (FlushDue(input) is { } due)
                {
                    waits.Add(due);
                }

                var first = await Task.WhenAny(waits);
                if (first == cancelRequested)
                {
                    scheduler.Cancel();
                    _stopRetries.Cancel();
                    ForwardCancel();
                }
                else if (first == _flushTimer && first.IsCompletedSuccessfully && input.Layout is { } layoutNow)
                {
                    await FlushAsync(input, layoutNow, scheduler.Status, scheduler.Counts);
                }
            }

            _fault?.Throw();

            // Take in every outcome already known, then release what became ready: one step.
            while (_finished.TryDequeue(out var done))
            {
                _attempts[done.TaskId] = done.Attempts;
                if (done.Recorded)
                {
                    _recorded.Add(done.TaskId);
                }
                else
                {
                    _finalResults[done.TaskId] = done.Result;
                }

                if (done.Result.Succeeded)
                {
                    scheduler.Complete(done.TaskId, done.Result.Result);
                }
                else
                {
                    scheduler.Fail(done.TaskId, done.Result.Error ?? "failed");
                }
            }

            Dispatch(input, scheduler.Release());
            await SignalAsync(input, scheduler, null);
        }

        if (!cancelRequested.IsCompleted)
        {
            // A pending external-event wait must not outlive the run.
            _stopWaitingForCancel.Cancel();
        }

        if (input.Layout is { } layout)
        {
            await ConfirmShardsAsync(input, layout, scheduler.Status);
        }

        var outcome = new TreeRunOutcomeV1(input.TreeId, input.UserId, input.Run, scheduler.Status, scheduler.Counts.ToWire(), startedAt, _context.CurrentUtcDateTime);
        await _context.CallActivityAsync(RecordOutcomeActivity, outcome);
        if (input.Layout is { } ended)
        {
            // Last: a reader that sees the summary ended finds the records final and the tree list saying so too.
            await _context.Entities.SignalEntityAsync(TreeStatusEntity.IdFor(input.TreeId), TreeStatusEntity.SummarizeOperation,
                new TreeSummaryUpdateV1(input.Run, _context.CurrentUtcDateTime, scheduler.Status, scheduler.Counts.ToWire(), null, ended.Shards, input.Tree.Tasks.Count));
        }

        return outcome;
    }

    /// <summary>
    /// The fault path: tells the status entity the run failed with <paramref name="fault"/> (outcomes already
    /// known go with it; the entity fails every task not ended), records the same end in the index, and
    /// returns it. If recording fails too, the orchestration fails and the services' reconciliation (which
    /// reads the instance's failure) shows the tree failed instead. Deterministic: the fault is the same on
    /// every replay, and so are the actions taken here.
    /// </summary>
    private async Task<TreeRunOutcomeV1> EndByFaultAsync(TreeRunInputV1 input, DateTime startedAt, Exception fault)
    {
        _stopRetries.Cancel();
        _stopWaitingForCancel.Cancel();
        _stopFlushTimer.Cancel();
        var error = DescribeFault(fault);
        LogRunFault(_context.CreateReplaySafeLogger<TreeOrchestration>(), input.TreeId, input.Run, fault);

        var tasks = input.Tree?.Tasks ?? [];
        var start = _started ? null : new RunStartV1(input.TreeId, input.UserId, input.CreatedAt, tasks, input.Carried?.Keys.ToList());
        var known = _finished.Select(done => new TaskStatusChangeV1(done.TaskId,
            done.Result.Succeeded ? TaskRunStatus.Completed : TaskRunStatus.Failed, done.Attempts, done.Result.Result, done.Result.Error)).ToList();
        var now = _context.CurrentUtcDateTime;

        // Counted as the records will hold them: known outcomes applied, everything not ended failed.
        var completedNow = known.Count(c => c.Status == TaskRunStatus.Completed);
        var counts = _scheduler?.Counts is { } c
            ? new TaskCounts(0, 0, c.Completed + completedNow, c.Failed + c.Pending + c.InProgress - completedNow, c.Skipped, c.Cancelled)
            : new TaskCounts(0, 0, input.Carried?.Count ?? 0, tasks.Count - (input.Carried?.Count ?? 0), 0, 0);
        if (input.Layout is { } layout)
        {
            await SignalShardsAsync(input, layout, [.. TakeBuffered(), .. known], TreeStatus.Failed, now, start, error);
            await _context.Entities.SignalEntityAsync(TreeStatusEntity.IdFor(input.TreeId), TreeStatusEntity.SummarizeOperation,
                new TreeSummaryUpdateV1(input.Run, now, TreeStatus.Failed, counts.ToWire(), start is null ? null : SummaryStart(start), layout.Shards, tasks.Count, error));
        }
        else
        {
            await _context.Entities.SignalEntityAsync(TreeStatusEntity.IdFor(input.TreeId), TreeStatusEntity.ApplyOperation,
                new StatusUpdateV1(input.Run, now, TreeStatus.Failed, known, start, error));
        }
        var outcome = new TreeRunOutcomeV1(input.TreeId, input.UserId, input.Run, TreeStatus.Failed, counts.ToWire(), startedAt, now, error);
        await _context.CallActivityAsync(RecordOutcomeActivity, outcome);
        return outcome;
    }

    /// <summary>What the tree's <c>error</c> says about a fault: its type and message, bounded.</summary>
    public static string DescribeFault(Exception fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        var text = $"the orchestration failed: {fault.GetType().Name}: {fault.Message}";
        return text.Length <= MaxFaultLength ? text : text[..MaxFaultLength] + "…";
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Tree {TreeId} run {Run} failed inside its orchestration; recorded as failed")]
    private static partial void LogRunFault(ILogger logger, string treeId, int run, Exception exception);

    private void Dispatch(TreeRunInputV1 input, IReadOnlyList<ReleasedTask> released)
    {
        if (input.Layout is { } layout && input.FanOutBlockSize is { } blockSize && released.Count > blockSize)
        {
            DispatchBlocks(input, layout, blockSize, released);
            return;
        }

        foreach (var task in released)
        {
            _attempts[task.Task.Id] = 1;
            _ = ObserveAsync(RunTaskAsync(input, task));
        }
    }

    /// <summary>
    /// A task's runner is not awaited directly, so a bug in it (not a task failure: those are data)
    /// must not vanish and leave the tree waiting forever: wake the main loop, which rethrows it.
    /// </summary>
    private async Task ObserveAsync(Task runner)
    {
        try
        {
            await runner;
        }
#pragma warning disable CA1031 // rethrown by the main loop, so the orchestration fails visibly
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _fault ??= System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex);
            _wake?.TrySetResult();
        }
    }

    /// <summary>Runs a task to its final outcome: attempts with timeouts, retries with backoff.</summary>
    private async Task RunTaskAsync(TreeRunInputV1 input, ReleasedTask released)
    {
        var task = released.Task;
        if (input.MaxDependencyResultsBytes is { } limit && DependencyResultsBytes(released.DependencyResults) is var size && size > limit)
        {
            // Decided here, from the results this orchestration holds (the same on every replay), so the
            // activity's payload never approaches the host-to-worker message limit.
            _finished.Enqueue(new Finished(task.Id, 0, TaskRunResultV1.Failure(string.Create(CultureInfo.InvariantCulture,
                $"dependency_results of task '{task.Id}' are {size:N0} bytes, over the limit of {limit:N0} bytes (Tasks:MaxDependencyResultsBytes): have its dependencies return less, or depend on fewer tasks"))));
            _wake?.TrySetResult();
            return;
        }

        var (attempts, result) = await new TaskAttempts(_context, _stopRetries.Token).RunAsync(input.TreeId, input.Run, input.Tree.UseDemo, task, released.DependencyResults);
        _finished.Enqueue(new Finished(task.Id, attempts, result));
        _wake?.TrySetResult();
    }

    private async Task SignalAsync(TreeRunInputV1 input, TreeScheduler scheduler, RunStartV1? start)
    {
        var changes = scheduler.TakeChanges();
        if (changes.Count == 0 && start is null)
        {
            return;
        }

        var batch = new List<TaskStatusChangeV1>(changes.Count);
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            if (_recorded.Count > 0 && change.Status.IsTerminal() && _recorded.Remove(change.TaskId))
            {
                continue; // its fan-out block recorded it
            }

            batch.Add(change.ToWire(_attempts.GetValueOrDefault(change.TaskId)));
            if (_finalResults.Remove(change.TaskId, out var final))
            {
                // The executor's own times: StartedAt is the release, which includes the queue.
                batch[^1] = batch[^1] with { RanAt = final.RanAt, RanUntil = final.RanUntil };
            }
        }

        var status = scheduler.Status;
        var counts = scheduler.Counts;
        _context.SetCustomStatus(new TreeProgressV1(status.ToWire(), input.Run, counts.ToWire(), Math.Round(counts.Progress, 4)));
        var at = _context.CurrentUtcDateTime;
        _started = true;
        if (input.Layout is { } layout)
        {
            if (start is not null)
            {
                await SignalShardsAsync(input, layout, [.. batch], status, at, start, error: null);
                _flushedAt = at;
                await _context.Entities.SignalEntityAsync(TreeStatusEntity.IdFor(input.TreeId), TreeStatusEntity.SummarizeOperation,
                    new TreeSummaryUpdateV1(input.Run, at, status, counts.ToWire(), SummaryStart(start), layout.Shards, input.Tree.Tasks.Count));
                return;
            }

            Buffer(batch, at);
            if (at - _flushedAt >= StatusInterval)
            {
                await FlushAsync(input, layout, status, counts);
            }

            return;
        }

        await SignalChunkedAsync(TreeStatusEntity.IdFor(input.TreeId), input, at, status, batch, start, error: null);
    }

    /// <summary>
    /// Sends <paramref name="batch"/> to <paramref name="entity"/>. One entity operation travels host-to-worker as
    /// one gRPC message (4 MB at most): a batch whose results together exceed the run's bound goes out as
    /// several signals, each within it. The ones before the last claim only in_progress (and carry no error),
    /// so a reader never sees the tree ended with some of its results missing. Runs started before the bound
    /// existed keep their one signal per step on replay.
    /// </summary>
    private async Task SignalChunkedAsync(EntityInstanceId entity, TreeRunInputV1 input, DateTime at, TreeStatus status, List<TaskStatusChangeV1> batch, RunStartV1? start, string? error)
    {
        if (input.MaxDependencyResultsBytes is not { } limit)
        {
            await _context.Entities.SignalEntityAsync(entity, TreeStatusEntity.ApplyOperation, new StatusUpdateV1(input.Run, at, status, batch, start, error));
            return;
        }

        var chunkStart = 0;
        long chunkBytes = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var size = ChangeBytes(batch[i]);
            if (i > chunkStart && chunkBytes + size > limit)
            {
                await _context.Entities.SignalEntityAsync(entity, TreeStatusEntity.ApplyOperation,
                    new StatusUpdateV1(input.Run, at, TreeStatus.InProgress, Slice(batch, chunkStart, i), start));
                start = null;
                chunkStart = i;
                chunkBytes = 0;
            }

            chunkBytes += size;
        }

        await _context.Entities.SignalEntityAsync(entity, TreeStatusEntity.ApplyOperation, new StatusUpdateV1(input.Run, at, status, Slice(batch, chunkStart, batch.Count), start, error));
    }

    private static TaskStatusChangeV1[] Slice(List<TaskStatusChangeV1> batch, int from, int to)
    {
        var slice = new TaskStatusChangeV1[to - from];
        for (var i = from; i < to; i++)
        {
            slice[i - from] = batch[i];
        }

        return slice;
    }

    /// <summary>What a change weighs in a signal: its result and error (the rest is small and bounded).</summary>
    private static long ChangeBytes(TaskStatusChangeV1 change) =>
        (change.Result is { } result ? JsonMarshal.GetRawUtf8Value(result).Length : 0) + (change.Error?.Length ?? 0) + change.TaskId.Length;

    /// <summary>The size of the <c>dependency_results</c> a task would receive: each result's JSON plus its key.</summary>
    public static long DependencyResultsBytes(IEnumerable<KeyValuePair<string, System.Text.Json.JsonElement>> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        long total = 0;
        foreach (var (id, result) in results)
        {
            total += Encoding.UTF8.GetByteCount(id) + JsonMarshal.GetRawUtf8Value(result).Length;
        }

        return total;
    }

    /// <summary>A task's final outcome, waiting for the next step.</summary>
    /// <param name="TaskId">The task.</param>
    /// <param name="Attempts">Attempts made.</param>
    /// <param name="Result">The last attempt's outcome.</param>
    /// <param name="Recorded">A fan-out block already wrote this outcome to the task's record.</param>
    private sealed record Finished(string TaskId, int Attempts, TaskRunResultV1 Result, bool Recorded = false);
}
