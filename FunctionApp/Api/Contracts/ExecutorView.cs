using DurableFlow.Executors;

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
