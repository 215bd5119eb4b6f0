namespace DurableFlow.Contracts;

/// <summary>One task's final outcome in a fan-out block's output, version 1.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Attempts">Attempts made.</param>
/// <param name="Result">The last attempt's outcome.</param>
public sealed record TaskBlockOutcomeV1(string TaskId, int Attempts, TaskRunResultV1 Result);
