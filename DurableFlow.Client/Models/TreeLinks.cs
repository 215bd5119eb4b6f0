namespace DurableFlow.Client;

/// <summary>Links of a tree, relative to the host (e.g. <c>/api/trees/demo-1</c>).</summary>
public sealed record TreeLinks
{
    public string Self { get; init; } = "";

    public string Cancel { get; init; } = "";
}
