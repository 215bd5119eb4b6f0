using Azure.Data.Tables;
using DurableFlow.Graph;

namespace DurableFlow.Storage;

/// <summary>
/// The properties of a tree index entity (the same in the tree row and the user row) and the mapping to
/// <see cref="TreeIndexEntry"/>. Names are snake_case like the API.
/// </summary>
internal static class TreeIndexRow
{
    public const string TreeId = "tree_id";
    public const string UserId = "user_id";
    public const string CreatedAt = "created_at";
    public const string CompletedAt = "completed_at";
    public const string TaskCount = "task_count";
    public const string Status = "status";
    public const string Pending = "pending";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    public const string Cancelled = "cancelled";
    public const string Run = "run";
    public const string RequestHash = "request_hash";
    public const string State = "state";
    public const string Error = "error";
    public const string Shards = "status_shards";

    /// <summary>Longest error kept in a row (a Table Storage string property holds at most 32 K characters).</summary>
    public const int MaxErrorLength = 4_000;

    /// <summary>Raised on every change of the tree row; the user row copies it to know which copy is newer.</summary>
    public const string VersionName = "version";

    public const string ReservedWire = "reserved";
    public const string StartedWire = "started";

    // Edm.DateTime starts in 1601.
    private static readonly DateTimeOffset MinTime = new(1601, 1, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Times are kept in UTC to the whole millisecond, the precision every Table Storage implementation
    /// keeps; the user row key is computed from the kept value, so it can be recomputed from a read.
    /// </summary>
    public static DateTimeOffset Normalize(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.UtcTicks - (utc.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    public static TreeIndexEntry Normalize(TreeIndexEntry entry) => entry with
    {
        CreatedAt = Normalize(entry.CreatedAt),
        CompletedAt = entry.CompletedAt is { } completed ? Normalize(completed) : null,
    };

    public static void CheckTime(DateTimeOffset time, string paramName)
    {
        if (time < MinTime)
        {
            throw new ArgumentOutOfRangeException(paramName, time, "Table Storage keeps times from the year 1601 on.");
        }
    }

    public static TableEntity ToEntity(TreeIndexEntry entry, long version, string partitionKey, string rowKey)
    {
        var entity = new TableEntity(partitionKey, rowKey)
        {
            [TreeId] = entry.TreeId,
            [UserId] = entry.UserId,
            [CreatedAt] = entry.CreatedAt,
            [TaskCount] = entry.TaskCount,
            [Status] = entry.Status.ToWire(),
            [Pending] = entry.Counts.Pending,
            [InProgress] = entry.Counts.InProgress,
            [Completed] = entry.Counts.Completed,
            [Failed] = entry.Counts.Failed,
            [Skipped] = entry.Counts.Skipped,
            [Cancelled] = entry.Counts.Cancelled,
            [Run] = entry.Run,
            [RequestHash] = entry.RequestHash,
            [State] = entry.State == TreeIndexState.Started ? StartedWire : ReservedWire,
            [VersionName] = version,
        };
        if (entry.CompletedAt is { } completed)
        {
            entity[CompletedAt] = completed;
        }

        if (entry.Shards is { } shards)
        {
            entity[Shards] = shards;
        }

        if (entry.Error is { } error)
        {
            entity[Error] = error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];
        }

        return entity;
    }

    public static TreeIndexEntry ToEntry(TableEntity entity)
    {
        var statusText = entity.GetString(Status);
        if (!StatusNames.TryParseTreeStatus(statusText, out var status))
        {
            throw Corrupt(entity, Status);
        }

        var state = entity.GetString(State) switch
        {
            StartedWire => TreeIndexState.Started,
            ReservedWire => TreeIndexState.Reserved,
            _ => throw Corrupt(entity, State),
        };

        return new TreeIndexEntry(
            entity.GetString(TreeId) ?? throw Corrupt(entity, TreeId),
            entity.GetString(UserId) ?? throw Corrupt(entity, UserId),
            Normalize(entity.GetDateTimeOffset(CreatedAt) ?? throw Corrupt(entity, CreatedAt)),
            entity.GetDateTimeOffset(CompletedAt) is { } completed ? Normalize(completed) : null,
            Int(entity, TaskCount),
            status,
            new TaskCounts(
                Int(entity, Pending), Int(entity, InProgress), Int(entity, Completed),
                Int(entity, Failed), Int(entity, Skipped), Int(entity, Cancelled)),
            Int(entity, Run),
            entity.GetString(RequestHash) ?? throw Corrupt(entity, RequestHash),
            state,
            entity.GetString(Error),
            entity.GetInt32(Shards));
    }

    public static long Version(TableEntity entity) => entity.GetInt64(VersionName) ?? throw Corrupt(entity, VersionName);

    private static int Int(TableEntity entity, string name) => entity.GetInt32(name) ?? throw Corrupt(entity, name);

    private static InvalidOperationException Corrupt(TableEntity entity, string property) =>
        new($"Tree index row ({entity.PartitionKey}, {entity.RowKey}) has no valid '{property}'.");
}
