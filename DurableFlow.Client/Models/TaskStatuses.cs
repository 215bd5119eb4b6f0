namespace DurableFlow.Client;

/// <summary>The statuses of a task as on the wire.</summary>
public static class TaskStatuses
{
    public const string Pending = "pending";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Skipped = "skipped";
    public const string Cancelled = "cancelled";

    /// <summary>Every task status, in the order a task moves through them.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, InProgress, Completed, Failed, Skipped, Cancelled];
}
