using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;

namespace DurableFlow.Testing;

/// <summary>
/// An entity feature that only takes signals (the orchestrator never calls or locks entities). Shared by
/// the tests and the benchmarks (linked into the bench projects) as the stand-in for Durable's entities,
/// which the in-process host and the virtual-time driver do not have.
/// </summary>
internal abstract class SignalOnlyEntityFeature : TaskOrchestrationEntityFeature
{
    /// <summary>Takes one signal; it must complete at once, as a signal does in production.</summary>
    protected abstract void OnSignal(EntityInstanceId id, string operationName, object? input);

    public override Task SignalEntityAsync(EntityInstanceId id, string operationName, object? input = null, SignalEntityOptions? options = null)
    {
        OnSignal(id, operationName, input);
        return Task.CompletedTask;
    }

    public override Task<TResult> CallEntityAsync<TResult>(EntityInstanceId id, string operationName, object? input = null, CallEntityOptions? options = null) =>
        throw new NotSupportedException("the orchestrator only signals entities");

    // The orchestrator calls an entity only to learn that everything sent before has been applied (the start
    // and the end of a sharded run): here every signal is applied at once, so a call is a signal.
    public override Task CallEntityAsync(EntityInstanceId id, string operationName, object? input = null, CallEntityOptions? options = null)
    {
        OnSignal(id, operationName, input);
        return Task.CompletedTask;
    }

    public override Task<IAsyncDisposable> LockEntitiesAsync(IEnumerable<EntityInstanceId> entityIds) =>
        throw new NotSupportedException("the orchestrator takes no entity locks");

    public override bool InCriticalSection([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReadOnlyList<EntityInstanceId>? entityIds)
    {
        entityIds = null;
        return false;
    }
}

/// <summary>
/// Wraps a real orchestration context (in the test or bench registration, never in production code):
/// everything is delegated except <see cref="Entities"/>, whose signals go to <paramref name="onSignal"/>
/// once each — not again on replay.
/// </summary>
internal sealed class EntityStandInContext(TaskOrchestrationContext inner, Action<EntityInstanceId, string, object?> onSignal) : TaskOrchestrationContext
{
    private readonly Feature _entities = new(inner, onSignal);

    public override TaskName Name => inner.Name;

    public override string InstanceId => inner.InstanceId;

    public override ParentOrchestrationInstance? Parent => inner.Parent;

    public override DateTime CurrentUtcDateTime => inner.CurrentUtcDateTime;

    public override bool IsReplaying => inner.IsReplaying;

    public override TaskOrchestrationEntityFeature Entities => _entities;

    protected override ILoggerFactory LoggerFactory => Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;

    public override Task<TResult> CallActivityAsync<TResult>(TaskName name, object? input = null, TaskOptions? options = null) =>
        inner.CallActivityAsync<TResult>(name, input, options);

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(TaskName orchestratorName, object? input = null, TaskOptions? options = null) =>
        inner.CallSubOrchestratorAsync<TResult>(orchestratorName, input, options);

    public override void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
        inner.ContinueAsNew(newInput, preserveUnprocessedEvents);

    public override Task CreateTimer(DateTime fireAt, CancellationToken cancellationToken) => inner.CreateTimer(fireAt, cancellationToken);

    public override T? GetInput<T>() where T : default => inner.GetInput<T>();

    public override Guid NewGuid() => inner.NewGuid();

    public override void SendEvent(string instanceId, string eventName, object payload) => inner.SendEvent(instanceId, eventName, payload);

    public override void SetCustomStatus(object? customStatus) => inner.SetCustomStatus(customStatus);

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default) =>
        inner.WaitForExternalEvent<T>(eventName, cancellationToken);

    private sealed class Feature(TaskOrchestrationContext context, Action<EntityInstanceId, string, object?> onSignal) : SignalOnlyEntityFeature
    {
        protected override void OnSignal(EntityInstanceId id, string operationName, object? input)
        {
            if (!context.IsReplaying)
            {
                onSignal(id, operationName, input);
            }
        }
    }
}
