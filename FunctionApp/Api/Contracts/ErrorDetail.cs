using System.Text.Json.Serialization;
using DurableFlow.Graph;

namespace DurableFlow.Api;

/// <summary>One problem; null fields are left out.</summary>
public sealed record ErrorDetail(
    string Code,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Path = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TaskId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RelatedId = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Cycle = null)
{
    public static ErrorDetail From(ValidationError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(error.Code, error.Message, error.Path, error.TaskId, error.RelatedId, error.Cycle);
    }
}
