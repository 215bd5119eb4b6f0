namespace DurableFlow.Client;

/// <summary>One input field of an executor.</summary>
public sealed record ExecutorInputView
{
    public string Name { get; init; } = "";

    /// <summary>The JSON kind, e.g. <c>string</c>.</summary>
    public string Type { get; init; } = "";

    public bool Required { get; init; }

    public string Description { get; init; } = "";

    /// <summary>The default as JSON text.</summary>
    public string? Default { get; init; }
}
