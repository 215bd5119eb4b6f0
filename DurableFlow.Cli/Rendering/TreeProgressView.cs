using System.Globalization;
using DurableFlow.Client;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DurableFlow.Cli.Rendering;

/// <summary>The live view of a running tree: a bar split by status, the counts, and the tasks running now.</summary>
internal static class TreeProgressView
{
    /// <summary>How many running task ids are named before "and N more".</summary>
    public const int RunningShown = 8;

    /// <summary>The view of a summary read and the ids of some of its running tasks (see <see cref="RunningTasks"/>).</summary>
    public static IRenderable Render(TreeView tree, IReadOnlyList<string> running, TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var header = new Markup(
            $"tree [bold]{tree.TreeId.EscapeMarkup()}[/]  {StatusStyles.Markup(tree.Status)}  " +
            $"{tree.Counts.Ended}/{tree.TaskCount} ended ({(tree.Progress * 100).ToString("0", CultureInfo.InvariantCulture)}%)  " +
            $"run {tree.Run}  {elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s");
        var chart = new BreakdownChart().Width(60).ShowTagValues();
        foreach (var (status, count) in StatusStyles.Breakdown(tree.Counts))
        {
            // Every status stays in the legend, so the counts do not jump around as statuses appear.
            chart.AddItem(status, count, StatusStyles.ColorOf(status));
        }
        return new Rows(header, chart, new Markup(RunningText(tree, running).EscapeMarkup()));
    }

    /// <summary>"running: a, b", "running: a, b and 3 more" (the rest of the summary's in_progress count) or "running: -".</summary>
    public static string RunningText(TreeView tree, IReadOnlyList<string> running)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(running);
        var count = Math.Max(tree.Counts.InProgress, running.Count);
        if (count == 0)
        {
            return "running: -";
        }
        var shown = running.Take(RunningShown).ToList();
        if (shown.Count == 0)
        {
            return $"running: {count} tasks";
        }
        var more = count - shown.Count;
        return more > 0 ? $"running: {string.Join(", ", shown)} and {more} more" : $"running: {string.Join(", ", shown)}";
    }
}
