using DurableFlow.Graph;

namespace DurableFlow.Storage;

/// <summary>
/// Where a tree is in the two-phase submission: the API first reserves the tree id
/// (<see cref="ITreeIndex.TryAddAsync"/>), then starts the orchestration, then marks the tree
/// <see cref="Started"/> (<see cref="ITreeIndex.MarkStartedAsync"/>); if the start fails it undoes the
/// reservation (<see cref="ITreeIndex.DeleteAsync"/>).
/// </summary>
public enum TreeIndexState
{
    /// <summary>The tree id is taken but the orchestration start is not confirmed. Not listed.</summary>
    Reserved = 0,

    /// <summary>The orchestration was started (or has reported a status, which proves it was). Listed.</summary>
    Started = 1,
}

/// <summary>One tree in the index.</summary>
/// <param name="TreeId">The tree id: 1–128 ASCII letters, digits and <c>._:-</c>.</param>
/// <param name="UserId">The owner: 1–256 characters, no control characters and none of <c>/ \ # ?</c>.</param>
/// <param name="CreatedAt">When the tree was submitted (given by the caller); read back in UTC.</param>
/// <param name="CompletedAt">When the latest run ended; <see langword="null"/> while it runs.</param>
/// <param name="TaskCount">How many tasks the tree has.</param>
/// <param name="Status">The tree status of the latest run (stored as its wire name).</param>
/// <param name="Counts">Tasks per status, as of the latest update.</param>
/// <param name="Run">The run number, 1 for the first run, raised by each rerun.</param>
/// <param name="RequestHash">A hash of the canonical submitted body, for idempotent submission.</param>
/// <param name="State">The submission phase.</param>
public sealed record TreeIndexEntry(
    string TreeId,
    string UserId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    int TaskCount,
    TreeStatus Status,
    TaskCounts Counts,
    int Run,
    string RequestHash,
    TreeIndexState State);

/// <summary>What <see cref="ITreeIndex.TryAddAsync"/> did.</summary>
/// <param name="Added"><see langword="true"/> if this call created the tree; <see langword="false"/> if the
/// tree id was already taken.</param>
/// <param name="Entry">The stored entry: the one just added, or the one that already held the tree id.</param>
public sealed record TreeIndexAddResult(bool Added, TreeIndexEntry Entry)
{
    /// <summary>The entry that already held the tree id, or <see langword="null"/> if this call added it.</summary>
    public TreeIndexEntry? Existing => Added ? null : Entry;
}

/// <summary>The end of one tree run, for <see cref="ITreeIndex.RecordOutcomeAsync"/>.</summary>
/// <param name="TreeId">The tree.</param>
/// <param name="Run">The run that ended (1 or more).</param>
/// <param name="Status">A terminal tree status: completed, failed or cancelled.</param>
/// <param name="Counts">Tasks per status at the end of the run.</param>
/// <param name="CompletedAt">When the run ended.</param>
public sealed record TreeOutcomeUpdate(
    string TreeId,
    int Run,
    TreeStatus Status,
    TaskCounts Counts,
    DateTimeOffset CompletedAt);

/// <summary>One page of <see cref="ITreeIndex.ListAsync"/>.</summary>
/// <param name="Items">The trees, newest first.</param>
/// <param name="ContinuationToken">Pass it back for the next page; <see langword="null"/> on the last page.</param>
public sealed record TreeIndexPage(IReadOnlyList<TreeIndexEntry> Items, string? ContinuationToken);

/// <summary>
/// A continuation token given to <see cref="ITreeIndex.ListAsync"/> is malformed or was altered; the API
/// answers it with 400.
/// </summary>
public sealed class InvalidContinuationException : FormatException
{
    public InvalidContinuationException()
        : base("The continuation token is not valid.")
    {
    }

    public InvalidContinuationException(string message)
        : base(message)
    {
    }

    public InvalidContinuationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
