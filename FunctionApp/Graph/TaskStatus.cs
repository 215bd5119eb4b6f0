namespace DurableFlow;

/// <summary>
/// The status of one task. Terminal statuses are <see cref="Completed"/>, <see cref="Failed"/>,
/// <see cref="Skipped"/> and <see cref="Cancelled"/>. Serialized in snake_case (<c>in_progress</c>).
/// </summary>
/// <remarks>Lives in the root namespace so it wins over <c>System.Threading.Tasks.TaskStatus</c>.</remarks>
public enum TaskStatus
{
    Pending = 0,
    InProgress = 1,
    Completed = 2,
    Failed = 3,
    Skipped = 4,
    Cancelled = 5,
}

/// <summary>The status of a whole tree: pending until its first task starts, then per the leaf rule.</summary>
public enum TreeStatus
{
    Pending = 0,
    InProgress = 1,
    Completed = 2,
    Failed = 3,
    Cancelled = 4,
}

/// <summary>Helpers over <see cref="TaskStatus"/> and <see cref="TreeStatus"/>.</summary>
public static class StatusNames
{
    public static bool IsTerminal(this TaskStatus status) => status >= TaskStatus.Completed;

    public static bool IsTerminal(this TreeStatus status) => status >= TreeStatus.Completed;

    /// <summary>The wire name (<c>pending</c>, <c>in_progress</c>, ...).</summary>
    public static string ToWire(this TaskStatus status) => status switch
    {
        TaskStatus.Pending => "pending",
        TaskStatus.InProgress => "in_progress",
        TaskStatus.Completed => "completed",
        TaskStatus.Failed => "failed",
        TaskStatus.Skipped => "skipped",
        TaskStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>The wire name (<c>pending</c>, <c>in_progress</c>, ...).</summary>
    public static string ToWire(this TreeStatus status) => status switch
    {
        TreeStatus.Pending => "pending",
        TreeStatus.InProgress => "in_progress",
        TreeStatus.Completed => "completed",
        TreeStatus.Failed => "failed",
        TreeStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParseTreeStatus(string? text, out TreeStatus status)
    {
        foreach (var candidate in Enum.GetValues<TreeStatus>())
        {
            if (string.Equals(candidate.ToWire(), text, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }
}
