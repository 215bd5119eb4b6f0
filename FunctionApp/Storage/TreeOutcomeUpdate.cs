using DurableFlow.Graph;

namespace DurableFlow.Storage;

/// <summary>The end of one tree run, for <see cref="ITreeIndex.RecordOutcomeAsync"/>.</summary>
/// <param name="TreeId">The tree.</param>
/// <param name="Run">The run that ended (1 or more).</param>
/// <param name="Status">A terminal tree status: completed, failed or cancelled.</param>
/// <param name="Counts">Tasks per status at the end of the run.</param>
/// <param name="CompletedAt">When the run ended.</param>
/// <param name="Error">Why the run ended by a fault; <see langword="null"/> for a normal end.</param>
public sealed record TreeOutcomeUpdate(
    string TreeId,
    int Run,
    TreeStatus Status,
    TaskCounts Counts,
    DateTimeOffset CompletedAt,
    string? Error = null);
