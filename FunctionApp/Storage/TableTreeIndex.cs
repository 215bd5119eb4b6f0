using Azure;
using Azure.Data.Tables;
using DurableFlow.Graph;

namespace DurableFlow.Storage;

/// <summary>
/// <see cref="ITreeIndex"/> over Azure Table Storage: one table, two entities per tree (see
/// <see cref="TreeIndexKeys"/>). The tree row is the source of truth; the user row is a copy of it for
/// listing, kept in step by a version number, because the two rows live in different partitions and
/// cannot be written in one transaction.
/// </summary>
/// <remarks>
/// <para>Every change goes to the tree row first, conditionally on its ETag (retried on 412), and bumps
/// its <c>version</c>; then the user row is brought up to that version unless it already holds a newer
/// one. A failure between the two writes leaves the user row behind, and the next write of the tree —
/// including a repeat of the same update, as activities retry — repairs it.</para>
/// <para>The table is created on first use, once.</para>
/// </remarks>
public sealed class TableTreeIndex : ITreeIndex
{
    /// <summary>The table name used when none is configured.</summary>
    public const string DefaultTableName = "DurableFlowTrees";

    // Conditional writes are retried on conflict; writers of one tree are few (the API and the tree's own
    // orchestration), so this bound is only a guard against a livelock bug.
    private const int MaxAttempts = 50;

    private readonly TableClient _table;
    private readonly TableCreation _creation;

    public TableTreeIndex(TableServiceClient service, string tableName = DefaultTableName)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        _table = service.GetTableClient(tableName);
        _creation = new TableCreation(_table);
    }

    /// <summary>The table this index uses.</summary>
    public string TableName => _table.Name;

    public async Task<TreeIndexEntry?> GetAsync(string treeId, CancellationToken cancellationToken = default)
    {
        TreeIndexKeys.CheckTreeId(treeId, nameof(treeId));
        await EnsureTableAsync(cancellationToken);
        var row = await ReadTreeRowAsync(treeId, cancellationToken);
        return row is null ? null : TreeIndexRow.ToEntry(row);
    }

    public async Task<TreeIndexAddResult> TryAddAsync(TreeIndexEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        TreeIndexKeys.CheckTreeId(entry.TreeId, nameof(entry));
        TreeIndexKeys.CheckUserId(entry.UserId, nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.RequestHash, nameof(entry));
        ArgumentOutOfRangeException.ThrowIfNegative(entry.TaskCount, nameof(entry));
        ArgumentOutOfRangeException.ThrowIfLessThan(entry.Run, 1, nameof(entry));
        CheckCounts(entry.Counts, nameof(entry));
        CheckEnum(entry.Status, nameof(entry));
        CheckEnum(entry.State, nameof(entry));
        TreeIndexRow.CheckTime(entry.CreatedAt, nameof(entry));
        if (entry.CompletedAt is { } completed)
        {
            TreeIndexRow.CheckTime(completed, nameof(entry));
        }

        await EnsureTableAsync(cancellationToken);

        var stored = TreeIndexRow.Normalize(entry);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _table.AddEntityAsync(
                    TreeIndexRow.ToEntity(stored, 1, TreeIndexKeys.TreePartitionKey(stored.TreeId), TreeIndexKeys.TreeRowKey),
                    cancellationToken);
                await SyncUserRowAsync(stored, 1, cancellationToken);
                return new TreeIndexAddResult(true, stored);
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                var existing = await ReadTreeRowAsync(stored.TreeId, cancellationToken);
                if (existing is not null)
                {
                    return new TreeIndexAddResult(false, TreeIndexRow.ToEntry(existing));
                }

                // Deleted between our insert and our read: try the insert again.
                if (attempt >= MaxAttempts)
                {
                    throw;
                }
            }
        }
    }

    public Task<bool> MarkStartedAsync(string treeId, CancellationToken cancellationToken = default)
    {
        TreeIndexKeys.CheckTreeId(treeId, nameof(treeId));
        return UpdateAsync(treeId, current => (current with { State = TreeIndexState.Started }, true), cancellationToken);
    }

    public Task<bool> UpdateStatusAsync(
        string treeId, TreeStatus status, int run, TaskCounts? counts = null, CancellationToken cancellationToken = default)
    {
        TreeIndexKeys.CheckTreeId(treeId, nameof(treeId));
        CheckEnum(status, nameof(status));
        if (status.IsTerminal())
        {
            throw new ArgumentException($"Status {status.ToWire()} ends a run: record it with {nameof(RecordOutcomeAsync)}.", nameof(status));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(run, 1);
        if (counts is { } given)
        {
            CheckCounts(given, nameof(counts));
        }

        return UpdateAsync(
            treeId,
            current =>
            {
                var started = current with { State = TreeIndexState.Started };
                if (run < current.Run || (run == current.Run && Rank(status) < Rank(current.Status)))
                {
                    return (started, false);
                }

                return (started with { Status = status, Run = run, Counts = counts ?? current.Counts, CompletedAt = null, Error = null }, true);
            },
            cancellationToken);
    }

    public Task<bool> TryBeginRunAsync(string treeId, int expectedRun, TaskCounts counts, CancellationToken cancellationToken = default)
    {
        TreeIndexKeys.CheckTreeId(treeId, nameof(treeId));
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedRun, 1);
        CheckCounts(counts, nameof(counts));
        return UpdateAsync(
            treeId,
            current => current.Run != expectedRun
                ? (current, false)
                : (current with { State = TreeIndexState.Started, Status = TreeStatus.InProgress, Run = expectedRun + 1, Counts = counts, CompletedAt = null, Error = null }, true),
            cancellationToken);
    }

    public Task<bool> RecordOutcomeAsync(TreeOutcomeUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        TreeIndexKeys.CheckTreeId(update.TreeId, nameof(update));
        CheckEnum(update.Status, nameof(update));
        if (!update.Status.IsTerminal())
        {
            throw new ArgumentException($"An outcome needs a terminal status, not {update.Status.ToWire()}.", nameof(update));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(update.Run, 1, nameof(update));
        CheckCounts(update.Counts, nameof(update));
        TreeIndexRow.CheckTime(update.CompletedAt, nameof(update));
        var completedAt = TreeIndexRow.Normalize(update.CompletedAt);

        return UpdateAsync(
            update.TreeId,
            current =>
            {
                var started = current with { State = TreeIndexState.Started };
                if (update.Run < current.Run)
                {
                    return (started, false);
                }

                return (started with { Status = update.Status, Run = update.Run, Counts = update.Counts, CompletedAt = completedAt, Error = update.Error }, true);
            },
            cancellationToken);
    }

    public Task<bool> DeleteAsync(string treeId, CancellationToken cancellationToken = default)
    {
        TreeIndexKeys.CheckTreeId(treeId, nameof(treeId));
        return WithTreeRowAsync(treeId, async (row, mayRetry) =>
        {
            var entry = TreeIndexRow.ToEntry(row);
            var userPartition = TreeIndexKeys.UserPartitionKey(entry.UserId);
            var userRow = TreeIndexKeys.UserRowKey(entry.CreatedAt, entry.TreeId);

            // User row first: a user row without its tree row would be listed but could never be found
            // again to delete; a tree row without its user row is only invisible to listing.
            await _table.DeleteEntityAsync(userPartition, userRow, ETag.All, cancellationToken);
            try
            {
                await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
            }
            catch (RequestFailedException e) when (e.Status == 412 && mayRetry)
            {
                // Updated meanwhile (and maybe its user row written back): start over.
                return (true, false);
            }

            // A writer that read the tree row before the delete may have put the user row back since.
            await _table.DeleteEntityAsync(userPartition, userRow, ETag.All, cancellationToken);
            return (false, true);
        }, cancellationToken);
    }

    public async Task<TreeIndexPage> ListAsync(
        string userId, TreeStatus? status, int limit, string? continuation, CancellationToken cancellationToken = default)
    {
        TreeIndexKeys.CheckUserId(userId, nameof(userId));
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, ITreeIndex.MaxListLimit);
        if (status is { } wanted)
        {
            CheckEnum(wanted, nameof(status));
        }

        var partitionKey = TreeIndexKeys.UserPartitionKey(userId);
        var scope = partitionKey + "|" + (status is { } scoped ? scoped.ToWire() : "*");
        var after = continuation is null ? null : TreeIndexKeys.DecodeContinuation(scope, continuation);
        await EnsureTableAsync(cancellationToken);

        // Property names as in TreeIndexRow (user_id, state, status); only values go through the escaping.
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partitionKey} and user_id eq {userId} and state eq {TreeIndexRow.StartedWire}");
        if (after is not null)
        {
            filter += TableClient.CreateQueryFilter($" and RowKey gt {after}");
        }

        if (status is { } filterStatus)
        {
            filter += TableClient.CreateQueryFilter($" and status eq {filterStatus.ToWire()}");
        }

        // One row more than asked tells whether another page exists. With a status filter the service may
        // return short (even empty) pages; the query follows its continuations until the page is full.
        var items = new List<TreeIndexEntry>(limit);
        string? lastRowKey = null;
        await foreach (var row in _table.QueryAsync<TableEntity>(filter, maxPerPage: limit + 1, cancellationToken: cancellationToken))
        {
            if (items.Count == limit)
            {
                return new TreeIndexPage(items, TreeIndexKeys.EncodeContinuation(scope, lastRowKey!));
            }

            items.Add(TreeIndexRow.ToEntry(row));
            lastRowKey = row.RowKey;
        }

        return new TreeIndexPage(items, null);
    }

    /// <summary>
    /// Applies <paramref name="decide"/> to the tree row (conditionally, retried on 412), then brings the
    /// user row up to date — also when nothing changed, so a repeated update repairs a user row that an
    /// earlier attempt failed to write. <paramref name="decide"/> returns the new entry and whether the
    /// row holds the caller's update afterwards.
    /// </summary>
    private Task<bool> UpdateAsync(
        string treeId, Func<TreeIndexEntry, (TreeIndexEntry Next, bool Holds)> decide, CancellationToken cancellationToken) =>
        WithTreeRowAsync(treeId, async (row, mayRetry) =>
        {
            var current = TreeIndexRow.ToEntry(row);
            var version = TreeIndexRow.Version(row);
            var (next, holds) = decide(current);
            if (next != current)
            {
                version++;
                try
                {
                    await _table.UpdateEntityAsync(
                        TreeIndexRow.ToEntity(next, version, row.PartitionKey, row.RowKey), row.ETag, TableUpdateMode.Replace, cancellationToken);
                }
                catch (RequestFailedException e) when ((e.Status is 412 or 404) && mayRetry)
                {
                    return (true, false);
                }
            }

            await SyncUserRowAsync(next, version, cancellationToken);
            return (false, holds);
        }, cancellationToken);

    /// <summary>
    /// The one optimistic-concurrency loop over the tree row: reads it (false when there is none) and hands
    /// it to <paramref name="attempt"/>, whose conditional write answers Retry when another writer changed
    /// the row first (412); then it reads again, at most <see cref="MaxAttempts"/> times. The attempt gets
    /// whether it may still ask for a retry; on the last attempt a lost write throws.
    /// </summary>
    private async Task<bool> WithTreeRowAsync(
        string treeId, Func<TableEntity, bool, Task<(bool Retry, bool Result)>> attempt, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        for (var n = 1; ; n++)
        {
            var row = await ReadTreeRowAsync(treeId, cancellationToken);
            if (row is null)
            {
                return false;
            }

            var (retry, result) = await attempt(row, n < MaxAttempts);
            if (!retry)
            {
                return result;
            }
        }
    }

    /// <summary>Writes the tree row's copy into the user row unless the user row holds that version or a newer one.</summary>
    private async Task SyncUserRowAsync(TreeIndexEntry entry, long version, CancellationToken cancellationToken)
    {
        var partitionKey = TreeIndexKeys.UserPartitionKey(entry.UserId);
        var rowKey = TreeIndexKeys.UserRowKey(entry.CreatedAt, entry.TreeId);
        var copy = TreeIndexRow.ToEntity(entry, version, partitionKey, rowKey);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await _table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, cancellationToken: cancellationToken);
            try
            {
                if (!existing.HasValue)
                {
                    await _table.AddEntityAsync(copy, cancellationToken);
                }
                else if (TreeIndexRow.Version(existing.Value!) < version)
                {
                    await _table.UpdateEntityAsync(copy, existing.Value!.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException e) when ((e.Status is 409 or 412 or 404) && attempt < MaxAttempts)
            {
                // Another writer got there first: look again.
            }
        }
    }

    private async Task<TableEntity?> ReadTreeRowAsync(string treeId, CancellationToken cancellationToken)
    {
        var response = await _table.GetEntityIfExistsAsync<TableEntity>(
            TreeIndexKeys.TreePartitionKey(treeId), TreeIndexKeys.TreeRowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    private Task EnsureTableAsync(CancellationToken cancellationToken) => _creation.EnsureAsync(cancellationToken);

    /// <summary>Order of statuses within one run: pending, in_progress, then any terminal status.</summary>
    private static int Rank(TreeStatus status) => status switch
    {
        TreeStatus.Pending => 0,
        TreeStatus.InProgress => 1,
        _ => 2,
    };

    private static void CheckCounts(TaskCounts counts, string paramName)
    {
        if (counts.Pending < 0 || counts.InProgress < 0 || counts.Completed < 0 || counts.Failed < 0 || counts.Skipped < 0 || counts.Cancelled < 0)
        {
            throw new ArgumentOutOfRangeException(paramName, counts, "Task counts cannot be negative.");
        }
    }

    private static void CheckEnum<T>(T value, string paramName)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"Not a {typeof(T).Name}.");
        }
    }
}
