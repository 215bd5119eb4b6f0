using System.Text.Json;

namespace DurableFlow.Contracts;

/// <summary>A result kept apart from its task record (sharded layout, result larger than the layout keeps
/// inline), version 1: the state of the task's result entity and the operation that sets it.</summary>
/// <param name="Run">The run that produced it (a record of a later run whose result is apart names its run).</param>
/// <param name="Result">The executor's result.</param>
public sealed record TaskResultV1(int Run, JsonElement Result);
