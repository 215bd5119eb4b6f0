using System.Text.Json;
using System.Text.Json.Serialization;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Status;
using DurableFlow.Storage;
using DurableFlow.Contracts;

namespace DurableFlow.Api;

/// <summary>One registered executor.</summary>
public sealed record ExecutorView(string Name, string Description, IReadOnlyList<ExecutorInputView> Inputs)
{
    public static ExecutorView From(ITaskExecutor executor)
    {
        ArgumentNullException.ThrowIfNull(executor);
        return new(executor.Name, executor.Description,
            executor.Inputs.Select(i => new ExecutorInputView(i.Name, i.Type, i.Required, i.Description, i.Default)).ToList());
    }
}
