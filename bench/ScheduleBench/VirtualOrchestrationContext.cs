using System.Collections.Concurrent;
using System.Text.Json;
using DurableFlow.Orchestration;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using DurableFlow.Contracts;

namespace DurableFlow.Bench;

/// <summary>
/// A deterministic virtual-time <see cref="TaskOrchestrationContext"/> for the production orchestrator.
/// A <c>RunTask</c> activity completes after its <c>_demo_sleep</c> seconds (from the task's inputs) of
/// virtual time, every other activity at once; timers fire at their time. <see cref="Run"/> is the
/// event loop: after the orchestrator blocks it pops the earliest events (a batch of up to
/// <see cref="BatchSize"/> due at the same instant is one episode), sets the clock, completes them and
/// runs the continuations on this thread, until the orchestration ends. Every history event Durable
/// would record is counted in <see cref="History"/>.
/// </summary>
internal sealed class VirtualOrchestrationContext : TaskOrchestrationContext
{
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly PriorityQueue<Action, (DateTime At, long Seq)> _due = new();
    private readonly CountingEntityFeature _entities;
    private readonly InlineContext _sync = new();
    private long _seq;

    public VirtualOrchestrationContext(bool measureBytes, int batchSize = 32)
    {
        MeasureBytes = measureBytes;
        BatchSize = batchSize;
        _entities = new CountingEntityFeature(this);
    }

    /// <summary>Serialize payloads to count history bytes (slower; the schedule mode does not need it).</summary>
    public bool MeasureBytes { get; }

    /// <summary>Most completions one episode takes in (Azure Storage's control queue batch is 32).</summary>
    public int BatchSize { get; }

    public HistoryModel History { get; } = new();

    /// <summary>Called for every entity signal or call, with the virtual time it was sent at.</summary>
    public Action<DateTime, EntityInstanceId, object?>? OnEntityMessage { get; set; }

    public DateTime Now { get; private set; } = Epoch;

    public TimeSpan Elapsed => Now - Epoch;

    public override TaskName Name => TreeOrchestration.Name;

    public override string InstanceId => "bench";

    public override ParentOrchestrationInstance? Parent => null;

    public override DateTime CurrentUtcDateTime => Now;

    public override bool IsReplaying => false;

    public override TaskOrchestrationEntityFeature Entities => _entities;

    protected override ILoggerFactory LoggerFactory => NullLoggerFactory.Instance;

    /// <summary>Runs the orchestration to its end in virtual time and returns its result.</summary>
    public T Run<T>(Func<Task<T>> start, object? input)
    {
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_sync);
        try
        {
            History.BeginEpisode();
            History.InputBytes = Size(input);
            History.Add(1, History.InputBytes); // ExecutionStarted
            var orchestration = start();
            _sync.Drain();
            while (!orchestration.IsCompleted)
            {
                History.EndEpisode();
                if (!_due.TryPeek(out _, out var first))
                {
                    throw new InvalidOperationException("the orchestration is waiting for something that never happens");
                }

                Now = first.At;
                History.BeginEpisode();
                var taken = 0;
                while (taken < BatchSize && !orchestration.IsCompleted && _due.TryPeek(out _, out var next) && next.At == first.At)
                {
                    _due.Dequeue()();
                    _sync.Drain();
                    taken++;
                }

                History.Batch(taken);
            }

            History.Add(1, 0); // ExecutionCompleted (the complete-orchestration action)
            History.Actions++;
            History.EndEpisode();
            return orchestration.GetAwaiter().GetResult();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null)
    {
        var completion = new TaskCompletionSource<TResult>();
        object? result = null;
        var seconds = 0.0;
        if (input is TaskRunRequestV1 request)
        {
            seconds = DemoSleep(request.Inputs);
            result = TaskRunResultV1.Success(JsonSerializer.SerializeToElement(new { demo = true, task = request.TaskId }));
            History.Activities++;
        }

        History.Action(Size(input)); // TaskScheduled
        var resultBytes = Size(result);
        At(Now.AddSeconds(seconds), () =>
        {
            History.Add(1, resultBytes); // TaskCompleted
            completion.TrySetResult((TResult)result!);
        });
        return completion.Task;
    }

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken)
    {
        var fired = new TaskCompletionSource();
        History.Timers++;
        History.Action(0); // TimerCreated
        cancellationToken.Register(() => fired.TrySetCanceled(cancellationToken));

        // A cancelled Durable timer still fires (and is ignored): it still costs a TimerFired event.
        At(fireAt < Now ? Now : fireAt, () =>
        {
            History.Add(1, 0); // TimerFired
            fired.TrySetResult();
        });
        return fired.Task;
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        var wait = new TaskCompletionSource<T>();
        cancellationToken.Register(() => wait.TrySetCanceled(cancellationToken));
        return wait.Task; // nobody raises events in the benchmark
    }

    public override void SetCustomStatus(object? customStatus)
    {
        // Carried by the episode's OrchestratorCompleted action: no history event of its own.
    }

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null) =>
        throw new NotSupportedException("the orchestrator starts no sub-orchestrations");

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
        throw new NotSupportedException("the orchestrator does not continue as new");

    public override T? GetInput<T>() where T : default => default;

    public override Guid NewGuid() => throw new NotSupportedException("the orchestrator makes no GUIDs");

    public override void SendEvent(string instanceId, string eventName, object payload) =>
        throw new NotSupportedException("the orchestrator sends no events");

    private void At(DateTime at, Action complete) => _due.Enqueue(complete, (at, _seq++));

    private long Size(object? payload) =>
        MeasureBytes && payload is not null ? JsonSerializer.SerializeToUtf8Bytes(payload, payload.GetType()).Length : 0;

    private static double DemoSleep(JsonElement? inputs) =>
        inputs is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty("_demo_sleep", out var sleep) ? sleep.GetDouble() : 0;

    /// <summary>Entity signals: one EventSent history event (and one action) each.</summary>
    private sealed class CountingEntityFeature(VirtualOrchestrationContext owner) : DurableFlow.Testing.SignalOnlyEntityFeature
    {
        protected override void OnSignal(EntityInstanceId id, string operationName, object? input)
        {
            owner.OnEntityMessage?.Invoke(owner.Now, id, input);
            owner.History.Signals++;
            var bytes = owner.Size(input);
            if (input is DurableFlow.Contracts.StatusUpdateV1 { Start: not null })
            {
                owner.History.StartSignalBytes = bytes;
            }

            owner.History.Action(bytes);
        }
    }

    /// <summary>Runs every posted continuation on the driver's thread, in order, when drained.</summary>
    private sealed class InlineContext : SynchronizationContext
    {
        private readonly ConcurrentQueue<(SendOrPostCallback Callback, object? State)> _posted = new();

        public override void Post(SendOrPostCallback d, object? state) => _posted.Enqueue((d, state));

        public override void Send(SendOrPostCallback d, object? state) => d(state);

        public void Drain()
        {
            while (_posted.TryDequeue(out var work))
            {
                work.Callback(work.State);
            }
        }
    }
}

/// <summary>
/// Durable's history, modelled: ExecutionStarted; per activity TaskScheduled + TaskCompleted; per timer
/// TimerCreated + TimerFired; per entity signal EventSent; per episode OrchestratorStarted +
/// OrchestratorCompleted; ExecutionCompleted. Without extended sessions each episode replays the whole
/// history recorded before it.
/// </summary>
internal sealed class HistoryModel
{
    public long Events { get; private set; }

    public long Bytes { get; private set; }

    public long Episodes { get; private set; }

    public long Actions { get; set; }

    public long Activities { get; set; }

    public long Timers { get; set; }

    public long Signals { get; set; }

    /// <summary>Events re-run by replays: the sum over episodes of the history recorded before each.</summary>
    public long ReplayedEvents { get; private set; }

    /// <summary>Payload bytes of those replayed events (what the host sends the worker again).</summary>
    public long ReplayedBytes { get; private set; }

    public int LargestBatch { get; private set; }

    /// <summary>Bytes of the orchestration input (the whole tree) in ExecutionStarted.</summary>
    public long InputBytes { get; set; }

    /// <summary>Bytes of the first status signal, which carries every task definition again.</summary>
    public long StartSignalBytes { get; set; }

    public void BeginEpisode()
    {
        Episodes++;
        ReplayedEvents += Events;
        ReplayedBytes += Bytes;
        Add(1, 0); // OrchestratorStarted
    }

    public void EndEpisode() => Add(1, 0); // OrchestratorCompleted

    public void Action(long bytes)
    {
        Actions++;
        Add(1, bytes);
    }

    public void Add(int events, long bytes)
    {
        Events += events;
        Bytes += bytes;
    }

    public void Batch(int taken) => LargestBatch = Math.Max(LargestBatch, taken);
}
