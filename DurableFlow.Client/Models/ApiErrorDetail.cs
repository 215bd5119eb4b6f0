using System.Text.Json.Serialization;

namespace DurableFlow.Client;

/// <summary>One problem in an API error's <c>details</c>; fields that do not apply are null.</summary>
public sealed record ApiErrorDetail
{
    public string Code { get; init; } = "";

    public string Message { get; init; } = "";

    /// <summary>JSON path of the offending value (e.g. <c>$.tasks[2].priority</c>), or a query parameter's name.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Path { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? TaskId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RelatedId { get; init; }

    /// <summary>For cycles: the ids along the cycle, the first repeated at the end.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Cycle { get; init; }
}
