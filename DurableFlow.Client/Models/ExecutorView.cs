namespace DurableFlow.Client;

/// <summary>One registered executor.</summary>
public sealed record ExecutorView
{
    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    public IReadOnlyList<ExecutorInputView> Inputs { get; init; } = [];
}
