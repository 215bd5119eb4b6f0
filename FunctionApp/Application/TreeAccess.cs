using DurableFlow.Api;
using DurableFlow.Graph;
using DurableFlow.Storage;

namespace DurableFlow.Application;

/// <summary>Ownership: which trees a caller may see. Unknown, malformed and other users' trees all
/// answer 404, so a caller learns nothing about trees that are not theirs.</summary>
public sealed class TreeAccess(ITreeIndex index)
{
    /// <summary>The index entry of <paramref name="treeId"/> if <paramref name="owner"/> (the principal, or
    /// the <c>user_id</c> query; null for anyone) may see it, else the 404 answer.</summary>
    public async Task<(TreeIndexEntry? Entry, ApiResult? Rejection)> FindVisibleAsync(string treeId, string? owner, CancellationToken cancellationToken)
    {
        var notFound = ApiResult.NotFound($"there is no tree '{treeId}'");
        if (!TreeValidator.IsValidId(treeId))
        {
            return (null, notFound);
        }

        var entry = await index.GetAsync(treeId, cancellationToken);
        if (entry is null || (owner is not null && !string.Equals(owner, entry.UserId, StringComparison.Ordinal)))
        {
            return (null, notFound);
        }

        return (entry, null);
    }
}
