using System.Text.Json;

namespace DurableFlow.Contracts;

/// <summary>Output of the <c>RunTask</c> activity and the attempt ledger's row, version 1. Executor
/// failures are data, not exceptions.</summary>
/// <param name="Succeeded">True when the executor returned a result.</param>
/// <param name="Result">The executor's result, when it succeeded.</param>
/// <param name="Error">What went wrong, when it failed (a message, never a stack trace).</param>
public sealed record TaskRunResultV1(bool Succeeded, JsonElement? Result, string? Error)
{
    public static TaskRunResultV1 Success(JsonElement result) => new(true, result, null);

    public static TaskRunResultV1 Failure(string error) => new(false, null, error);
}
