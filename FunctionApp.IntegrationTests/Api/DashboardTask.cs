using System.Text.Json;
using System.Text.Json.Nodes;

namespace DurableFlow.Tests.Api;

/// <summary>
/// A task record as the dashboard tests' fake API serves it. The wire shape is written here, not taken from the
/// app's contract types, so the tests pin the HTTP contract the page reads (tasks pages without <c>result</c>).
/// </summary>
public sealed record DashboardTask
{
    public static readonly JsonSerializerOptions Wire = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public required string Id { get; init; }

    public string Name { get; init; } = "system_info_executor";

    public string? ParentId { get; init; }

    public int Priority { get; init; } = 1;

    public IReadOnlyList<DashboardDependency> Dependencies { get; init; } = [];

    public JsonElement? Inputs { get; init; }

    public required string Status { get; init; }

    public JsonElement? Result { get; init; }

    public string? Error { get; init; }

    public double Progress { get; init; }

    public int Attempts { get; init; }

    public string? CreatedAt { get; init; }

    public string? StartedAt { get; init; }

    public string? CompletedAt { get; init; }

    public string? RanAt { get; init; }

    public string? RanUntil { get; init; }

    /// <summary>The record as the API writes it: with <c>result</c> in the task read (and with <c>include=results</c>), without it in tasks pages.</summary>
    public JsonObject ToJson(bool withResult)
    {
        var json = JsonSerializer.SerializeToNode(this, Wire)!.AsObject();
        if (!withResult)
        {
            json.Remove("result");
        }

        return json;
    }
}
