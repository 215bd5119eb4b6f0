using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using DurableFlow.Contracts;

namespace DurableFlow.Executors;

/// <summary>
/// Runs one attempt of one task: resolves the executor by name and turns every outcome into a
/// <see cref="TaskRunResultV1"/> (errors are data). Activities run at least once, so an attempt already run
/// (or running) — same tree, run, task and attempt — returns the same outcome instead of executing
/// again: in this process through a cache, across workers through the <see cref="IAttemptLedger"/> (skipped for
/// attempts without side effects: demo mode, and executors that say they have none).
/// </summary>
public sealed partial class TaskRunner(ExecutorRegistry registry, IOptions<TaskRunnerOptions> options, ILogger<TaskRunner> logger, TimeProvider? time = null, IAttemptLedger? ledger = null)
{
    private const int RememberedAttempts = 10_000;
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<AttemptKey, Lazy<Task<TaskRunResultV1>>> _attempts = new();
    private readonly ConcurrentQueue<AttemptKey> _order = new();

    /// <summary>How many times an executor was actually invoked (a re-delivered attempt does not count).</summary>
    public int Executions => _executions;

    private int _executions;

    public async Task<TaskRunResultV1> RunAsync(TaskRunRequestV1 request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = new AttemptKey(request.TreeId, request.Run, request.TaskId, request.Attempt);
        var added = false;
        var attempt = _attempts.GetOrAdd(key, _ =>
        {
            added = true;
            return new Lazy<Task<TaskRunResultV1>>(() => ExecuteOnceAsync(key, request, cancellationToken));
        });
        if (added)
        {
            // Remember a bounded number of attempts, oldest forgotten first.
            _order.Enqueue(key);
            while (_attempts.Count > RememberedAttempts && _order.TryDequeue(out var oldest))
            {
                _attempts.TryRemove(oldest, out _);
            }
        }

        try
        {
            return await attempt.Value;
        }
        catch
        {
            // An attempt that threw (the host shutting down) has no outcome: forget it, so a re-delivery
            // runs it rather than rethrowing the cached fault. Only this entry: a newer one may have replaced it.
            _attempts.TryRemove(KeyValuePair.Create(key, attempt));
            throw;
        }
    }

    /// <summary>Runs the attempt unless the ledger already holds its outcome (a delivery on another worker).</summary>
    private async Task<TaskRunResultV1> ExecuteOnceAsync(AttemptKey key, TaskRunRequestV1 request, CancellationToken cancellationToken)
    {
        // Running twice is harmless without side effects (demo results, read-only executors): no ledger round trips.
        if (ledger is null || request.UseDemo || (registry.TryGet(request.Name, out var executor) && !executor.HasSideEffects))
        {
            return await ExecuteAsync(request, cancellationToken);
        }

        if (await FindRecordedAsync(ledger!, key, cancellationToken) is { } recorded)
        {
            return recorded;
        }

        var outcome = await ExecuteAsync(request, cancellationToken);
        try
        {
            return await ledger!.RecordAsync(key, outcome, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The task ran: its outcome stands even if it cannot be recorded (a re-delivery may run it again).
            LogLedgerRecordFailed(logger, key.TreeId, key.TaskId, key.Attempt, ex);
            return outcome;
        }
    }

    /// <summary>
    /// The ledger only deduplicates: when it cannot answer, the attempt runs (at least once) rather than fail.
    /// </summary>
    private async Task<TaskRunResultV1?> FindRecordedAsync(IAttemptLedger attemptLedger, AttemptKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await attemptLedger.FindAsync(key, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogLedgerLookupFailed(logger, key.TreeId, key.TaskId, key.Attempt, ex);
            return null;
        }
    }

    /// <summary>Runs the executor and stamps the result with when it ran (the task record's ran_at/ran_until).</summary>
    private async Task<TaskRunResultV1> ExecuteAsync(TaskRunRequestV1 request, CancellationToken cancellationToken)
    {
        var ranAt = _time.GetUtcNow().UtcDateTime;
        var outcome = await ExecuteExecutorAsync(request, cancellationToken);
        return outcome with { RanAt = ranAt, RanUntil = _time.GetUtcNow().UtcDateTime };
    }

    private async Task<TaskRunResultV1> ExecuteExecutorAsync(TaskRunRequestV1 request, CancellationToken cancellationToken)
    {
        if (!registry.TryGet(request.Name, out var executor))
        {
            return TaskRunResultV1.Failure($"no executor named '{request.Name}' is registered");
        }

        var context = new TaskExecutionContext(request.TreeId, request.TaskId, request.Attempt,
            request.Inputs ?? EmptyObject, request.DependencyResults, cancellationToken);
        try
        {
            Interlocked.Increment(ref _executions);
            var result = request.UseDemo
                ? await DemoAsync(executor, context)
                : await executor.ExecuteAsync(context);
            return Capped(result);
        }
        catch (InvalidTaskInputException ex)
        {
            return TaskRunResultV1.Failure($"invalid inputs for {executor.Name}: {ex.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return TaskRunResultV1.Failure("cancelled: the host is shutting down");
        }
#pragma warning disable CA1031 // Any executor failure becomes the task's error; the orchestration must go on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogAttemptFailed(logger, request.TreeId, request.TaskId, request.Attempt, executor.Name, ex);
            return TaskRunResultV1.Failure(string.IsNullOrWhiteSpace(ex.Message) ? ex.GetType().Name : ex.Message);
        }
    }

    private async Task<JsonElement> DemoAsync(ITaskExecutor executor, TaskExecutionContext context)
    {
        if (context.Inputs.ValueKind == JsonValueKind.Object && context.Inputs.TryGetProperty("_demo_sleep", out var sleep) && sleep.ValueKind != JsonValueKind.Null)
        {
            if (sleep.ValueKind != JsonValueKind.Number || !sleep.TryGetDouble(out var seconds) || seconds < 0)
            {
                throw new InvalidTaskInputException("_demo_sleep must be a number of seconds, 0 or more");
            }

            seconds = Math.Min(seconds, options.Value.MaxDemoSleepSeconds);
            if (seconds > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds(seconds), _time, context.CancellationToken);
            }
        }

        return executor.DemoResult(context);
    }

    private TaskRunResultV1 Capped(JsonElement result)
    {
        var size = result.ValueKind == JsonValueKind.Undefined ? 0 : System.Text.Encoding.UTF8.GetByteCount(result.GetRawText());
        var limit = options.Value.MaxResultBytes;
        return size > limit
            ? TaskRunResultV1.Failure($"result is {size} bytes; the limit is {limit} bytes (Tasks:MaxResultBytes): return less, or store large data elsewhere and return a reference")
            : TaskRunResultV1.Success(result.ValueKind == JsonValueKind.Undefined ? JsonDocument.Parse("null").RootElement : result);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt ledger failed to record {TreeId}/{TaskId} attempt {Attempt}; the outcome stands unrecorded")]
    private static partial void LogLedgerRecordFailed(ILogger logger, string treeId, string taskId, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt ledger failed to look up {TreeId}/{TaskId} attempt {Attempt}; running it without deduplication")]
    private static partial void LogLedgerLookupFailed(ILogger logger, string treeId, string taskId, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task {TreeId}/{TaskId} attempt {Attempt} failed in {Executor}")]
    private static partial void LogAttemptFailed(ILogger logger, string treeId, string taskId, int attempt, string executor, Exception exception);
}
