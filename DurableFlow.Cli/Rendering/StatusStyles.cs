using DurableFlow.Client;
using Spectre.Console;

namespace DurableFlow.Cli.Rendering;

/// <summary>One colour per status, shared by the tables and the progress bar.</summary>
internal static class StatusStyles
{
    public static Color ColorOf(string status) => status switch
    {
        TaskStatuses.Completed => Color.Green,
        TaskStatuses.InProgress => Color.DodgerBlue1,
        TaskStatuses.Failed => Color.Red,
        TaskStatuses.Skipped => Color.Yellow,
        TaskStatuses.Cancelled => Color.Orange3,
        _ => Color.Grey,
    };

    public static string Markup(string status) => $"[{ColorOf(status).ToMarkup()}]{status.EscapeMarkup()}[/]";

    /// <summary>The tasks per status, in status order, as (status, count).</summary>
    public static IEnumerable<(string Status, int Count)> Breakdown(TaskCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        yield return (TaskStatuses.Completed, counts.Completed);
        yield return (TaskStatuses.InProgress, counts.InProgress);
        yield return (TaskStatuses.Pending, counts.Pending);
        yield return (TaskStatuses.Failed, counts.Failed);
        yield return (TaskStatuses.Skipped, counts.Skipped);
        yield return (TaskStatuses.Cancelled, counts.Cancelled);
    }

    /// <summary>"completed 2, in_progress 1", leaving out statuses with no task.</summary>
    public static string CountsText(TaskCounts counts) =>
        string.Join(", ", Breakdown(counts).Where(b => b.Count > 0).Select(b => $"{b.Status} {b.Count}"));
}
