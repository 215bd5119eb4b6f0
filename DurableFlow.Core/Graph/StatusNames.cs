namespace DurableFlow.Graph;

/// <summary>Helpers over <see cref="TaskRunStatus"/> and <see cref="TreeStatus"/>.</summary>
public static class StatusNames
{
    public static bool IsTerminal(this TaskRunStatus status) => status >= TaskRunStatus.Completed;

    public static bool IsTerminal(this TreeStatus status) => status >= TreeStatus.Completed;

    /// <summary>The wire name (<c>pending</c>, <c>in_progress</c>, ...).</summary>
    public static string ToWire(this TaskRunStatus status) => status switch
    {
        TaskRunStatus.Pending => "pending",
        TaskRunStatus.InProgress => "in_progress",
        TaskRunStatus.Completed => "completed",
        TaskRunStatus.Failed => "failed",
        TaskRunStatus.Skipped => "skipped",
        TaskRunStatus.Cancelled => "cancelled",
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

    public static bool TryParseTaskStatus(string? text, out TaskRunStatus status)
    {
        foreach (var candidate in Enum.GetValues<TaskRunStatus>())
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
