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
