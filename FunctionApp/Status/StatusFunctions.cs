using Microsoft.Azure.Functions.Worker;

namespace DurableFlow.Status;

/// <summary>The entity functions behind <see cref="TreeStatusEntity"/>, <see cref="TaskShardEntity"/> and <see cref="TaskResultEntity"/>.</summary>
public static class StatusFunctions
{
    [Function(TreeStatusEntity.EntityName)]
    public static Task DispatchAsync([EntityTrigger] TaskEntityDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        return dispatcher.DispatchAsync<TreeStatusEntity>();
    }

    [Function(TaskShardEntity.EntityName)]
    public static Task DispatchShardAsync([EntityTrigger] TaskEntityDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        return dispatcher.DispatchAsync<TaskShardEntity>();
    }

    [Function(TaskResultEntity.EntityName)]
    public static Task DispatchResultAsync([EntityTrigger] TaskEntityDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        return dispatcher.DispatchAsync<TaskResultEntity>();
    }
}
