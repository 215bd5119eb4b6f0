using System.Text.Json.Serialization;

namespace DurableFlow.Client;

/// <summary>Links of a tree, relative to the host (e.g. <c>/api/trees/demo-1</c>).</summary>
public sealed record TreeLinks
{
    public string Self { get; init; } = "";

    public string Cancel { get; init; } = "";

    /// <summary>The tasks page route (<c>/api/trees/demo-1/tasks</c>); in the tree read, null where the answer has none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Tasks { get; init; }
}
