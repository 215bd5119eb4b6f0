using System.Collections.Concurrent;
using DurableFlow.Graph;
using DurableFlow.Storage;

namespace DurableFlow.Bench;

/// <summary>A minimal in-memory <see cref="ITreeIndex"/>: enough for the submit and read paths.</summary>
internal sealed class InMemoryTreeIndex : ITreeIndex
{
    private readonly ConcurrentDictionary<string, TreeIndexEntry> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public Task<TreeIndexEntry?> GetAsync(string treeId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_entries.GetValueOrDefault(treeId));

    public Task<TreeIndexAddResult> TryAddAsync(TreeIndexEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var added = _entries.TryAdd(entry.TreeId, entry);
        return Task.FromResult(new TreeIndexAddResult(added, added ? entry : _entries[entry.TreeId]));
    }

    public Task<bool> MarkStartedAsync(string treeId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Update(treeId, e => e with { State = TreeIndexState.Started }));

    public Task<bool> UpdateStatusAsync(string treeId, TreeStatus status, int run, TaskCounts? counts = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Update(treeId, e => e with { Status = status, Run = run, Counts = counts ?? e.Counts, State = TreeIndexState.Started }));

    public Task<bool> TryBeginRunAsync(string treeId, int expectedRun, TaskCounts counts, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            return Task.FromResult(_entries.TryGetValue(treeId, out var entry) && entry.Run == expectedRun
                && Update(treeId, e => e with { Status = TreeStatus.InProgress, Run = expectedRun + 1, Counts = counts, CompletedAt = null, State = TreeIndexState.Started }));
        }
    }

    public Task<bool> RecordOutcomeAsync(TreeOutcomeUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return Task.FromResult(Update(update.TreeId, e => e with { Status = update.Status, Run = update.Run, Counts = update.Counts, CompletedAt = update.CompletedAt, State = TreeIndexState.Started }));
    }

    public Task<bool> DeleteAsync(string treeId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_entries.TryRemove(treeId, out _));

    public Task<TreeIndexPage> ListAsync(string userId, TreeStatus? status, int limit, string? continuation, CancellationToken cancellationToken = default) =>
        Task.FromResult(new TreeIndexPage(
            _entries.Values.Where(e => e.UserId == userId && e.State == TreeIndexState.Started && (status is null || e.Status == status))
                .OrderByDescending(e => e.CreatedAt).ThenBy(e => e.TreeId, StringComparer.Ordinal).Take(limit).ToList(),
            null));

    private bool Update(string treeId, Func<TreeIndexEntry, TreeIndexEntry> change)
    {
        while (_entries.TryGetValue(treeId, out var entry))
        {
            if (_entries.TryUpdate(treeId, change(entry), entry))
            {
                return true;
            }
        }

        return false;
    }
}
