using System.Text.Json.Serialization;

namespace DurableFlow.Api;

/// <summary>The body of every 4xx/5xx: a stable code, a message for people, and details (maybe empty).</summary>
public sealed record ErrorBody(string Code, string Message, IReadOnlyList<ErrorDetail> Details)
{
    /// <summary>Most details an answer lists.</summary>
    public const int MaxDetails = Graph.ValidationErrorList.MaxKept;

    /// <summary>How many more problems were found than <see cref="Details"/> lists; present only when some were
    /// left out, so answers with every problem listed are what they always were.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? DetailsTruncated { get; init; }
}
