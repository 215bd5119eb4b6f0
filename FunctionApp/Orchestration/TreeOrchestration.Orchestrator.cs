using System.Globalization;
using DurableFlow.Graph;
using DurableFlow.Status;
using Microsoft.DurableTask;
using DurableFlow.Contracts;

namespace DurableFlow.Orchestration;

/// <summary>
/// Runs one tree on Durable Functions by driving <see cref="TreeScheduler"/>: every released task starts
/// at once as an activity (with its own retries and timeout), each scheduling step records all known
/// outcomes before releasing, and each step ends with one signal to the tree's status entity.
/// Deterministic: the orchestration clock, no I/O, iteration in dispatch order.
/// </summary>
public sealed class TreeOrchestration : IDisposable
{
    /// <summary>Orchestrator function name.</summary>
    public const string Name = "TreeOrchestrator";

    /// <summary>External event that cancels a running tree.</summary>
    public const string CancelEvent = "cancel";

    /// <summary>Activity that runs one attempt of one task.</summary>
    public const string RunTaskActivity = "RunTask";

    /// <summary>Activity that records a finished run in the tree index.</summary>
    public const string RecordOutcomeActivity = "RecordTreeOutcome";

    private readonly TaskOrchestrationContext _context;
    private readonly Queue<Finished> _finished = new();
    private readonly CancellationTokenSource _stopRetries = new();
    private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskRunResultV1> _finalResults = new(StringComparer.Ordinal);
    private TaskCompletionSource? _wake;
    private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _fault;

    public TreeOrchestration(TaskOrchestrationContext context) => _context = context;

    public void Dispose() => _stopRetries.Dispose();

    public async Task<TreeRunOutcomeV1> RunAsync(TreeRunInputV1 input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var tree = input.Tree.ToDomain();
        var scheduler = new TreeScheduler(TaskGraph.Build(tree), tree.MaxParallelism, input.Carried);
        var startedAt = _context.CurrentUtcDateTime;

        using var stopWaitingForCancel = new CancellationTokenSource();
        var cancelRequested = _context.WaitForExternalEvent<object?>(CancelEvent, stopWaitingForCancel.Token);

        Dispatch(input, scheduler.Start());
        await SignalAsync(input, scheduler, new RunStartV1(input.TreeId, input.UserId, input.CreatedAt, input.Tree.Tasks, input.Carried?.Keys.ToList()));

        while (!scheduler.IsFinished)
        {
            if (_finished.Count == 0 && _fault is null)
            {
                _wake = new TaskCompletionSource();
                var waits = scheduler.IsCancelled ? [_wake.Task] : new[] { _wake.Task, cancelRequested };
                var first = await Task.WhenAny(waits);
                if (first == cancelRequested)
                {
                    scheduler.Cancel();
                    _stopRetries.Cancel();
                }
            }

            _fault?.Throw();

            // Take in every outcome already known, then release what became ready: one step.
            while (_finished.TryDequeue(out var done))
            {
                _attempts[done.TaskId] = done.Attempts;
                _finalResults[done.TaskId] = done.Result;
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
            stopWaitingForCancel.Cancel();
        }

        var outcome = new TreeRunOutcomeV1(input.TreeId, input.UserId, input.Run, scheduler.Status, scheduler.Counts.ToWire(), startedAt, _context.CurrentUtcDateTime);
        await _context.CallActivityAsync(RecordOutcomeActivity, outcome);
        return outcome;
    }

    private void Dispatch(TreeRunInputV1 input, IReadOnlyList<ReleasedTask> released)
    {
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
        var policy = RetryPolicies.From(task.Retry);
        // Bounded by max_attempts (at most 100): the loop condition says so, for the readers and the
        // Durable analyzers (DURABLE0011 flags an unbounded loop that calls the context).
        var attempt = 0;
        var result = TaskRunResultV1.Failure("never attempted");
        while (attempt < policy.MaxNumberOfAttempts)
        {
            attempt++;
            var request = new TaskRunRequestV1(input.TreeId, task.Id, task.Name, attempt, input.Run, input.Tree.UseDemo, task.Inputs, released.DependencyResults);
            result = await RunAttemptAsync(request, task.TimeoutSeconds);
            if (result.Succeeded || attempt >= policy.MaxNumberOfAttempts || _stopRetries.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await _context.CreateTimer(RetryPolicies.DelayBeforeRetry(policy, attempt), _stopRetries.Token);
            }
            catch (TaskCanceledException)
            {
                break; // the tree was cancelled: no further attempts
            }
        }

        _finished.Enqueue(new Finished(task.Id, attempt, result));
        _wake?.TrySetResult();
    }

    private async Task<TaskRunResultV1> RunAttemptAsync(TaskRunRequestV1 request, double? timeoutSeconds)
    {
        var activity = CallRunTaskAsync(request);
        if (timeoutSeconds is not { } seconds)
        {
            return await activity;
        }

        using var cancelTimer = new CancellationTokenSource();
        var timeout = _context.CreateTimer(_context.CurrentUtcDateTime.AddSeconds(seconds), cancelTimer.Token);
        if (await Task.WhenAny(activity, timeout) == activity)
        {
            // The timer must not keep the orchestration alive once the attempt is over.
            cancelTimer.Cancel();
            return await activity;
        }

        // A late result of this attempt is never looked at again.
        return TaskRunResultV1.Failure(string.Create(CultureInfo.InvariantCulture, $"timed out after {seconds} s"));
    }

    private async Task<TaskRunResultV1> CallRunTaskAsync(TaskRunRequestV1 request)
    {
        try
        {
            return await _context.CallActivityAsync<TaskRunResultV1>(RunTaskActivity, request);
        }
        catch (TaskFailedException ex)
        {
            // The activity itself failed (not the executor, whose failures are data): still a task failure.
            return TaskRunResultV1.Failure(ex.FailureDetails.ErrorMessage);
        }
    }

    private async Task SignalAsync(TreeRunInputV1 input, TreeScheduler scheduler, RunStartV1? start)
    {
        var changes = scheduler.TakeChanges();
        if (changes.Count == 0 && start is null)
        {
            return;
        }

        var batch = new TaskStatusChangeV1[changes.Count];
        for (var i = 0; i < changes.Count; i++)
        {
            var change = changes[i];
            batch[i] = change.ToWire(_attempts.GetValueOrDefault(change.TaskId));
            if (_finalResults.Remove(change.TaskId, out var final))
            {
                // The executor's own times: StartedAt is the release, which includes the queue.
                batch[i] = batch[i] with { RanAt = final.RanAt, RanUntil = final.RanUntil };
            }
        }

        var status = scheduler.Status;
        var counts = scheduler.Counts;
        _context.SetCustomStatus(new TreeProgressV1(status.ToWire(), input.Run, counts.ToWire(), Math.Round(counts.Progress, 4)));
        await _context.Entities.SignalEntityAsync(TreeStatusEntity.IdFor(input.TreeId), TreeStatusEntity.ApplyOperation, new StatusUpdateV1(input.Run, _context.CurrentUtcDateTime, status, batch, start));
    }

    private sealed record Finished(string TaskId, int Attempts, TaskRunResultV1 Result);
}
