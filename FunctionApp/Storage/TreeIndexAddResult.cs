namespace DurableFlow.Storage;

/// <summary>What <see cref="ITreeIndex.TryAddAsync"/> did.</summary>
/// <param name="Added"><see langword="true"/> if this call created the tree; <see langword="false"/> if the
/// tree id was already taken.</param>
/// <param name="Entry">The stored entry: the one just added, or the one that already held the tree id.</param>
public sealed record TreeIndexAddResult(bool Added, TreeIndexEntry Entry)
{
    /// <summary>The entry that already held the tree id, or <see langword="null"/> if this call added it.</summary>
    public TreeIndexEntry? Existing => Added ? null : Entry;
}
