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

    public static IRenderable Render(TreeView tree, TimeSpan elapsed)
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
        return new Rows(header, chart, new Markup(RunningText(tree).EscapeMarkup()));
    }

    /// <summary>"running: a, b" or "running: -".</summary>
    public static string RunningText(TreeView tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var running = (tree.Tasks ?? []).Where(t => t.Status == TaskStatuses.InProgress).Select(t => t.Id).ToList();
        if (running.Count == 0)
        {
            return "running: -";
        }
        var shown = string.Join(", ", running.Take(RunningShown));
        return running.Count > RunningShown ? $"running: {shown} and {running.Count - RunningShown} more" : $"running: {shown}";
    }
}
