namespace DurableFlow.Contracts;

/// <summary>Output of a fan-out block, version 1: every task's outcome, already recorded in its shard.</summary>
public sealed record TaskBlockResultV1(IReadOnlyList<TaskBlockOutcomeV1> Outcomes);
