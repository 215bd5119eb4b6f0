using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Entities;

namespace DurableFlow.Status;

/// <summary>The entity function behind <see cref="TreeStatusEntity"/>.</summary>
public static class StatusFunctions
{
    [Function(TreeStatusEntity.EntityName)]
    public static Task DispatchAsync([EntityTrigger] TaskEntityDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        return dispatcher.DispatchAsync<TreeStatusEntity>();
    }
}
