using System.Text;

namespace DurableFlow.Contracts;

/// <summary>
/// Which shard entity keeps a task's status record: FNV-1a (32 bit) of the task id's UTF-8 bytes, modulo the
/// tree's shard count. Stable across processes and versions (unlike <see cref="string.GetHashCode()"/>):
/// records written by one deployment are found by the next, so this function must never change.
/// </summary>
public static class TaskShards
{
    /// <summary>Records per shard a new tree aims at: a shard's state stays tens of KB, so every update of it
    /// is cheap, and a page of tasks reads a few shards.</summary>
    public const int RecordsPerShard = 50;

    /// <summary>Results up to this size stay in their record; larger ones are kept apart (one entity each), so a
    /// shard's state stays far below the 4 MB host-to-worker message limit whatever the results weigh.</summary>
    public const int DefaultInlineResultBytes = 16 * 1024;

    /// <summary>The shard count for a new tree of <paramref name="taskCount"/> tasks.</summary>
    public static int CountFor(int taskCount) => Math.Max(1, (taskCount + RecordsPerShard - 1) / RecordsPerShard);

    /// <summary>The shard (0 ≤ shard &lt; <paramref name="shards"/>) of task <paramref name="taskId"/>.</summary>
    public static int Of(string taskId, int shards)
    {
        ArgumentNullException.ThrowIfNull(taskId);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        const uint offsetBasis = 2166136261;
        const uint prime = 16777619;
        var hash = offsetBasis;
        Span<byte> buffer = stackalloc byte[Encoding.UTF8.GetMaxByteCount(Math.Min(taskId.Length, 256))];
        var bytes = taskId.Length <= 256 ? buffer[..Encoding.UTF8.GetBytes(taskId, buffer)] : Encoding.UTF8.GetBytes(taskId);
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * prime;
        }

        return (int)(hash % (uint)shards);
    }
}
