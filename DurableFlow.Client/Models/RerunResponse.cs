namespace DurableFlow.Client;

/// <summary>Answer to a rerun request (<c>202</c>).</summary>
public sealed record RerunResponse
{
    public string TreeId { get; init; } = "";

    public string Status { get; init; } = "";

    /// <summary>The new run's number.</summary>
    public int Run { get; init; }

    /// <summary>The tasks that run again.</summary>
    public IReadOnlyList<string> Rerun { get; init; } = [];

    /// <summary>Completed tasks whose results are kept.</summary>
    public int Carried { get; init; }

    public TreeLinks Links { get; init; } = new();
}
