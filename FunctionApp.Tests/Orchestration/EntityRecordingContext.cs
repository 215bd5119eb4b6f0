using DurableFlow.Status;
using DurableFlow.Tests.Status;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.Extensions.Logging;

namespace DurableFlow.Tests.Orchestration;

/// <summary>
/// The in-process test host has no entity support, so the test registration wraps the real context in
/// this one: everything is delegated except <see cref="Entities"/>, whose signals are applied to real
/// <see cref="TreeStatusEntity"/> instances (through <see cref="EntityHarness"/>) — once, not on replay.
/// </summary>
internal sealed class EntityRecordingContext(TaskOrchestrationContext inner, StatusEntities entities) : TaskOrchestrationContext
{
    private readonly RecordingEntityFeature _entities = new(inner, entities);

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

    private sealed class RecordingEntityFeature(TaskOrchestrationContext context, StatusEntities entities) : TaskOrchestrationEntityFeature
    {
        public override Task SignalEntityAsync(EntityInstanceId id, string operationName, object? input = null, SignalEntityOptions? options = null)
        {
            // A signal is a one-way action that completes at once in production. Apply it synchronously:
            // an orchestrator continuation that resumed on another thread would break the replay.
            if (!context.IsReplaying)
            {
                // On the default scheduler: the orchestration's own scheduler is busy running this call.
                Task.Run(() => entities.ApplyAsync(id, operationName, input)).GetAwaiter().GetResult();
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

/// <summary>Status entities kept in memory for in-process runs, keyed by entity id.</summary>
internal sealed class StatusEntities
{
    private readonly Dictionary<EntityInstanceId, EntityHarness> _entities = [];
    private readonly Lock _lock = new();

    public List<(EntityInstanceId Id, string Operation, object? Input)> Signals { get; } = [];

    public async Task ApplyAsync(EntityInstanceId id, string operation, object? input)
    {
        EntityHarness harness;
        lock (_lock)
        {
            Signals.Add((id, operation, input));
            if (!_entities.TryGetValue(id, out harness!))
            {
                harness = _entities[id] = new EntityHarness();
            }
        }

        await harness.RunAsync(operation, input);
    }

    public TreeStatusState? Get(string treeId)
    {
        lock (_lock)
        {
            return _entities.GetValueOrDefault(new EntityInstanceId(TreeStatusEntity.EntityName, treeId))?.Tree;
        }
    }
}
