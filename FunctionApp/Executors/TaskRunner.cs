using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using DurableFlow.Orchestration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DurableFlow.Executors;

/// <summary>Limits applied to every task attempt (configuration section <c>Tasks</c>).</summary>
public sealed class TaskRunnerOptions
{
    /// <summary>Largest result, serialized, a task may return; larger results fail the task clearly.</summary>
    public int MaxResultBytes { get; set; } = 256 * 1024;

    /// <summary>Longest <c>_demo_sleep</c> honoured in demo mode.</summary>
    public double MaxDemoSleepSeconds { get; set; } = 60;
}

/// <summary>
/// Runs one attempt of one task: resolves the executor by name and turns every outcome into a
/// <see cref="TaskRunResult"/> (errors are data). Activities run at least once, so an attempt already run
/// (or running) — same tree, run, task and attempt — returns the same outcome instead of executing
/// again: in this process through a cache, across workers through the <see cref="IAttemptLedger"/>.
/// </summary>
public sealed class TaskRunner(ExecutorRegistry registry, IOptions<TaskRunnerOptions> options, ILogger<TaskRunner> logger, TimeProvider? time = null, IAttemptLedger? ledger = null)
{
    private const int RememberedAttempts = 10_000;
    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<AttemptKey, Lazy<Task<TaskRunResult>>> _attempts = new();
    private readonly ConcurrentQueue<AttemptKey> _order = new();

    /// <summary>How many times an executor was actually invoked (a re-delivered attempt does not count).</summary>
    public int Executions => _executions;

    private int _executions;

    public async Task<TaskRunResult> RunAsync(TaskRunRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = new AttemptKey(request.TreeId, request.Run, request.TaskId, request.Attempt);
        var added = false;
        var attempt = _attempts.GetOrAdd(key, _ =>
        {
            added = true;
            return new Lazy<Task<TaskRunResult>>(() => ExecuteOnceAsync(key, request, cancellationToken));
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
    private async Task<TaskRunResult> ExecuteOnceAsync(AttemptKey key, TaskRunRequest request, CancellationToken cancellationToken)
    {
        if (ledger is null)
        {
            return await ExecuteAsync(request, cancellationToken);
        }

        if (await FindRecordedAsync(ledger, key, cancellationToken) is { } recorded)
        {
            return recorded;
        }

        var outcome = await ExecuteAsync(request, cancellationToken);
        try
        {
            return await ledger.RecordAsync(key, outcome, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The task ran: its outcome stands even if it cannot be recorded (a re-delivery may run it again).
            logger.LogWarning(ex, "Attempt ledger failed to record {TreeId}/{TaskId} attempt {Attempt}; the outcome stands unrecorded", key.TreeId, key.TaskId, key.Attempt);
            return outcome;
        }
    }

    /// <summary>
    /// The ledger only deduplicates: when it cannot answer, the attempt runs (at least once) rather than fail.
    /// </summary>
    private async Task<TaskRunResult?> FindRecordedAsync(IAttemptLedger attemptLedger, AttemptKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await attemptLedger.FindAsync(key, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Attempt ledger failed to look up {TreeId}/{TaskId} attempt {Attempt}; running it without deduplication", key.TreeId, key.TaskId, key.Attempt);
            return null;
        }
    }

    private async Task<TaskRunResult> ExecuteAsync(TaskRunRequest request, CancellationToken cancellationToken)
    {
        if (!registry.TryGet(request.Name, out var executor))
        {
            return TaskRunResult.Failure($"no executor named '{request.Name}' is registered");
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
            return TaskRunResult.Failure($"invalid inputs for {executor.Name}: {ex.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return TaskRunResult.Failure("cancelled: the host is shutting down");
        }
#pragma warning disable CA1031 // Any executor failure becomes the task's error; the orchestration must go on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Task {TreeId}/{TaskId} attempt {Attempt} failed in {Executor}", request.TreeId, request.TaskId, request.Attempt, executor.Name);
            return TaskRunResult.Failure(string.IsNullOrWhiteSpace(ex.Message) ? ex.GetType().Name : ex.Message);
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

    private TaskRunResult Capped(JsonElement result)
    {
        var size = result.ValueKind == JsonValueKind.Undefined ? 0 : System.Text.Encoding.UTF8.GetByteCount(result.GetRawText());
        var limit = options.Value.MaxResultBytes;
        return size > limit
            ? TaskRunResult.Failure($"result is {size} bytes; the limit is {limit} bytes (Tasks:MaxResultBytes): return less, or store large data elsewhere and return a reference")
            : TaskRunResult.Success(result.ValueKind == JsonValueKind.Undefined ? JsonDocument.Parse("null").RootElement : result);
    }
}
