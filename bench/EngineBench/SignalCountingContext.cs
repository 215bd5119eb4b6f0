using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;

namespace DurableFlow.Bench;

/// <summary>
/// The in-process host has no entity support, so the orchestrator gets the real context wrapped in this
/// one: everything is delegated except <see cref="Entities"/>, whose signals are only counted (not on
/// replay). A signal is a one-way action that completes at once in production too.
/// </summary>
internal sealed class SignalCountingContext(TaskOrchestrationContext inner, SignalCounter counter) : TaskOrchestrationContext
{
    private readonly CountingEntityFeature _entities = new(inner, counter);

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

    private sealed class CountingEntityFeature(TaskOrchestrationContext context, SignalCounter counter) : TaskOrchestrationEntityFeature
    {
        public override Task SignalEntityAsync(EntityInstanceId id, string operationName, object? input = null, SignalEntityOptions? options = null)
        {
            if (!context.IsReplaying)
            {
                counter.Add(id.Key);
            }

            return Task.CompletedTask;
        }

        public override Task<TResult> CallEntityAsync<TResult>(EntityInstanceId id, string operationName, object? input = null, CallEntityOptions? options = null) =>
            throw new NotSupportedException("the orchestrator only signals entities");

        public override Task CallEntityAsync(EntityInstanceId id, string operationName, object? input = null, CallEntityOptions? options = null) =>
            throw new NotSupportedException("the orchestrator only signals entities");

        public override Task<IAsyncDisposable> LockEntitiesAsync(IEnumerable<EntityInstanceId> entityIds) =>
            throw new NotSupportedException("the orchestrator takes no entity locks");

        public override bool InCriticalSection([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IReadOnlyList<EntityInstanceId>? entityIds)
        {
            entityIds = null;
            return false;
        }
    }
}

/// <summary>Status signals per tree (entity key).</summary>
internal sealed class SignalCounter
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public void Add(string treeId)
    {
        lock (_lock)
        {
            _counts[treeId] = _counts.GetValueOrDefault(treeId) + 1;
        }
    }

    public int Of(string treeId)
    {
        lock (_lock)
        {
            return _counts.GetValueOrDefault(treeId);
        }
    }
}
