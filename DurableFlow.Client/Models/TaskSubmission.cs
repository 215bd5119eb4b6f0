using System.Text.Json;

namespace DurableFlow.Client;

/// <summary>One task of a <see cref="TreeSubmission"/>.</summary>
public sealed record TaskSubmission
{
    /// <summary>Unique in the tree.</summary>
    public required string Id { get; init; }

    /// <summary>The executor, e.g. <c>system_info_executor</c>.</summary>
    public required string Name { get; init; }

    /// <summary>A JSON object passed to the executor; the server defaults it to <c>{}</c>.</summary>
    public JsonElement? Inputs { get; init; }

    /// <summary>Lower runs first; 0 is the most urgent; the server defaults it to 1.</summary>
    public int? Priority { get; init; }

    /// <summary>Organisational parent; no effect on order.</summary>
    public string? ParentId { get; init; }

    public IReadOnlyList<DependencySubmission>? Dependencies { get; init; }

    public RetrySettings? Retry { get; init; }

    /// <summary>Per-attempt limit in seconds.</summary>
    public double? TimeoutSeconds { get; init; }
}
