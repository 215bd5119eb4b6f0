namespace DurableFlow.Storage;

/// <summary>One page of <see cref="ITreeIndex.ListAsync"/>.</summary>
/// <param name="Items">The trees, newest first.</param>
/// <param name="ContinuationToken">Pass it back for the next page; <see langword="null"/> on the last page.</param>
public sealed record TreeIndexPage(IReadOnlyList<TreeIndexEntry> Items, string? ContinuationToken);
