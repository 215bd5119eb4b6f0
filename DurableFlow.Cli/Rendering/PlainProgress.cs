using System.Globalization;
using DurableFlow.Client;

namespace DurableFlow.Cli.Rendering;

/// <summary>Progress for logs and pipes: one line whenever the status, the counts or the running tasks change.</summary>
internal sealed class PlainProgress(TextWriter output, Func<TimeSpan> elapsed)
{
    private string? _last;

    public void Report(TreeView value, IReadOnlyList<string> running)
    {
        ArgumentNullException.ThrowIfNull(value);
        var state = $"tree {value.TreeId} {value.Status} {value.Counts.Ended}/{value.TaskCount} ended" +
            $" ({StatusStyles.CountsText(value.Counts)}) {TreeProgressView.RunningText(value, running)}";
        if (state == _last)
        {
            return;
        }
        _last = state;
        output.WriteLine($"[{elapsed().TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s] {state}");
        output.Flush();
    }
}
