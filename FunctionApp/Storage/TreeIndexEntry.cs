using DurableFlow.Graph;

namespace DurableFlow.Storage;

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
/// <param name="Error">Why the latest run ended by a fault (failed inside its orchestration, or terminated);
/// <see langword="null"/> otherwise. Stored only when set (rows written before it existed have none).</param>
/// <param name="Shards">How many shard entities hold the tree's task records (its <see cref="Contracts.StatusLayoutV1"/>);
/// <see langword="null"/> for trees submitted before the sharded layout, whose records are all in the tree's
/// status entity. Stored only when set.</param>
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
    TreeIndexState State,
    string? Error = null,
    int? Shards = null);
