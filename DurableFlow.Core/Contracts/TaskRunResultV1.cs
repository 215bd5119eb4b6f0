using System.Text.Json;
using System.Text.Json.Serialization;

namespace DurableFlow.Contracts;

/// <summary>Output of the <c>RunTask</c> activity and the attempt ledger's row, version 1. Executor
/// failures are data, not exceptions.</summary>
/// <param name="Succeeded">True when the executor returned a result.</param>
/// <param name="Result">The executor's result, when it succeeded.</param>
/// <param name="Error">What went wrong, when it failed (a message, never a stack trace).</param>
public sealed record TaskRunResultV1(bool Succeeded, JsonElement? Result, string? Error)
{
    /// <summary>When the executor started, on the worker's clock (UTC); absent in results written before it existed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? RanAt { get; init; }

    /// <summary>When the executor returned or failed (UTC).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTime? RanUntil { get; init; }

    public static TaskRunResultV1 Success(JsonElement result) => new(true, result, null);

    public static TaskRunResultV1 Failure(string error) => new(false, null, error);
}
