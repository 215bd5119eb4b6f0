namespace DurableFlow.Client;

/// <summary>The statuses of a tree as on the wire.</summary>
public static class TreeStatuses
{
    public const string Pending = "pending";
    public const string InProgress = "in_progress";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    /// <summary>Every tree status, in the order a tree moves through them.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, InProgress, Completed, Failed, Cancelled];

    /// <summary>True for the statuses a tree ends in.</summary>
    public static bool IsFinished(string? status) => status is Completed or Failed or Cancelled;
}
