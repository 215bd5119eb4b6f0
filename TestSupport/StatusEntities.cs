using DurableFlow.Status;
using DurableFlow.Tests.Status;
using Microsoft.DurableTask.Entities;
using DurableFlow.Contracts;

namespace DurableFlow.Tests.Orchestration;

/// <summary>Status entities kept in memory for in-process runs, keyed by entity id.</summary>
internal sealed class StatusEntities
{
    private readonly Dictionary<EntityInstanceId, EntityHarness> _entities = [];
    private readonly Lock _lock = new();

    public List<(EntityInstanceId Id, string Operation, object? Input)> Signals { get; } = [];

    /// <summary>
    /// The in-process host has no entity support, so the test registration wraps the real context in an
    /// <see cref="Testing.EntityStandInContext"/> whose signals are applied here, to real
    /// <see cref="TreeStatusEntity"/> instances (through <see cref="EntityHarness"/>).
    /// </summary>
    public Microsoft.DurableTask.TaskOrchestrationContext Wrap(Microsoft.DurableTask.TaskOrchestrationContext context) =>
        new Testing.EntityStandInContext(context, (id, operation, input) =>
            // Synchronously, off the orchestration's scheduler (which is busy running this call): a
            // continuation that resumed on another thread would break the replay.
            Task.Run(() => ApplyAsync(id, operation, input)).GetAwaiter().GetResult());

    public async Task ApplyAsync(EntityInstanceId id, string operation, object? input)
    {
        EntityHarness harness;
        lock (_lock)
        {
            Signals.Add((id, operation, input));
            if (!_entities.TryGetValue(id, out harness!))
            {
                harness = _entities[id] = new EntityHarness(Create(id));
            }
        }

        await harness.RunAsync(operation, input);
    }

    /// <summary>The entity class behind an id, as the Functions host dispatches by entity name.</summary>
    private static Func<ITaskEntity> Create(EntityInstanceId id) => id.Name switch
    {
        var name when string.Equals(name, TaskShardEntity.EntityName, StringComparison.OrdinalIgnoreCase) => () => new TaskShardEntity(),
        var name when string.Equals(name, TaskResultEntity.EntityName, StringComparison.OrdinalIgnoreCase) => () => new TaskResultEntity(),
        _ => () => new TreeStatusEntity(),
    };

    /// <summary>The state of any entity, or null.</summary>
    public object? GetState(EntityInstanceId id)
    {
        lock (_lock)
        {
            return _entities.GetValueOrDefault(id)?.State;
        }
    }

    public TreeStatusStateV1? Get(string treeId)
    {
        lock (_lock)
        {
            return _entities.GetValueOrDefault(new EntityInstanceId(TreeStatusEntity.EntityName, treeId))?.Tree;
        }
    }
}
