using Microsoft.Azure.Functions.Worker;

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
