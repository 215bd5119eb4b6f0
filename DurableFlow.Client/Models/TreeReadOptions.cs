namespace DurableFlow.Client;

/// <summary>What <see cref="DurableFlowClient.GetTreeAsync(string, TreeReadOptions, CancellationToken)"/> asks for.</summary>
public sealed record TreeReadOptions
{
    public TreeReadView View { get; init; } = TreeReadView.Flat;

    /// <summary>Also each task's <see cref="TaskView.Result"/> (<c>include=results</c>); without it the tasks carry none.</summary>
    public bool IncludeResults { get; init; }
}
