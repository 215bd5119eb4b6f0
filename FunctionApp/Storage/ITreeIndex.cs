using DurableFlow.Graph;

namespace DurableFlow.Storage;

/// <summary>
/// The index of submitted trees: find a tree by id, and list a user's trees newest first. It holds
/// one summary per tree (owner, status, counts, run); the tasks themselves live in the orchestration.
/// </summary>
/// <remarks>
/// <para>Writers may be repeated (activities run at least once) and may race (the API and the
/// orchestrator): every update is conditional and idempotent, and an update for an older run never
/// overwrites a newer run.</para>
/// <para>Arguments that break a key rule (a tree id or user id outside its contract) throw
/// <see cref="ArgumentException"/>.</para>
/// </remarks>
public interface ITreeIndex
{
    /// <summary>Most trees one <see cref="ListAsync"/> page may hold (the API's <c>limit</c> maximum).</summary>
    const int MaxListLimit = 500;

    /// <summary>The tree with this id, whatever its <see cref="TreeIndexEntry.State"/>, or
    /// <see langword="null"/> if there is none.</summary>
    Task<TreeIndexEntry?> GetAsync(string treeId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Adds the tree unless its id is taken. Of any number of concurrent calls with one tree id exactly
    /// one returns <see cref="TreeIndexAddResult.Added"/> = <see langword="true"/>; the others get the
    /// stored entry (compare its <see cref="TreeIndexEntry.RequestHash"/> to tell a retry from a clash).
    /// </summary>
    /// <remarks>If this throws, the tree id may be taken all the same: a retry then returns the entry as
    /// not added, and <see cref="MarkStartedAsync"/> or any update completes what is missing.</remarks>
    Task<TreeIndexAddResult> TryAddAsync(TreeIndexEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Marks a reserved tree <see cref="TreeIndexState.Started"/>, so it is listed. Idempotent.</summary>
    /// <returns><see langword="false"/> if there is no such tree.</returns>
    Task<bool> MarkStartedAsync(string treeId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets a non-terminal status (pending, in_progress) for a run: a new run (a rerun) resets
    /// <see cref="TreeIndexEntry.CompletedAt"/>; within one run the status never goes back (a late
    /// in_progress does not undo completed). <paramref name="counts"/>, when given, replaces the counts.
    /// Also marks the tree started.
    /// </summary>
    /// <returns><see langword="true"/> if the entry holds this run's update afterwards; <see langword="false"/>
    /// if there is no such tree or the update was superseded (a newer run, or a later status of this run).</returns>
    Task<bool> UpdateStatusAsync(
        string treeId, TreeStatus status, int run, TaskCounts? counts = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts run <paramref name="expectedRun"/> + 1 (a rerun) if, and only if, the entry is still at run
    /// <paramref name="expectedRun"/>: a compare-and-set, so of two concurrent reruns exactly one wins.
    /// Sets in_progress, the new run, <paramref name="counts"/>, and clears the completion time.
    /// </summary>
    /// <returns><see langword="true"/> if this call started the new run.</returns>
    Task<bool> TryBeginRunAsync(string treeId, int expectedRun, TaskCounts counts, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the end of a run: status, counts, completion time and run. Repeating it leaves the same
    /// entry; an outcome for a run older than the stored one changes nothing. Also marks the tree started.
    /// </summary>
    /// <returns><see langword="true"/> if the entry holds this outcome afterwards; <see langword="false"/> if
    /// there is no such tree or a newer run superseded it.</returns>
    Task<bool> RecordOutcomeAsync(TreeOutcomeUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Removes the tree (used to undo a submission whose start failed). Idempotent.</summary>
    /// <returns><see langword="true"/> if the tree existed.</returns>
    Task<bool> DeleteAsync(string treeId, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page of the user's started trees, newest first (ties by tree id), optionally only those with
    /// <paramref name="status"/>. A page holds <paramref name="limit"/> trees unless it is the last.
    /// </summary>
    /// <param name="userId">The owner.</param>
    /// <param name="status">Only trees whose latest status is this; <see langword="null"/> for all.</param>
    /// <param name="limit">1 to <see cref="MaxListLimit"/>.</param>
    /// <param name="continuation">The previous page's <see cref="TreeIndexPage.ContinuationToken"/>, or
    /// <see langword="null"/> for the first page. It is only valid with the same user and status filter.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not 1 to 500.</exception>
    /// <exception cref="InvalidContinuationException"><paramref name="continuation"/> is malformed, altered, or
    /// was made for another user or status filter.</exception>
    Task<TreeIndexPage> ListAsync(
        string userId, TreeStatus? status, int limit, string? continuation, CancellationToken cancellationToken = default);
}
