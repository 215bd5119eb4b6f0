using System.Text.Json.Serialization;

namespace DurableFlow.Client;

/// <summary>Answer to a submission: <c>202</c> for a new tree, <c>200</c> for an identical repeat.</summary>
public sealed record SubmitResponse
{
    public string TreeId { get; init; } = "";

    public string Status { get; init; } = "";

    public int TaskCount { get; init; }

    public TreeLinks Links { get; init; } = new();

    /// <summary>True when this submission started the tree (<c>202</c>); false for an identical repeat (<c>200</c>).</summary>
    [JsonIgnore]
    public bool Created { get; init; }
}
