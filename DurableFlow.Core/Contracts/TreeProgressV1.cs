namespace DurableFlow.Contracts;

/// <summary>The orchestration's custom status, version 1: a summary whose size does not grow with the tree.</summary>
/// <param name="Status">The tree status, as its wire name.</param>
/// <param name="Run">The run.</param>
/// <param name="Counts">Tasks per status.</param>
/// <param name="Progress">Share of tasks ended, rounded to 4 places.</param>
public sealed record TreeProgressV1(string Status, int Run, TaskCountsV1 Counts, double Progress);
