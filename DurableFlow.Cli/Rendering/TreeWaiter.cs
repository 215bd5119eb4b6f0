using System.Diagnostics;
using DurableFlow.Client;
using Spectre.Console;

namespace DurableFlow.Cli.Rendering;

/// <summary>
/// Waits for a tree to end, polling its summary, showing its progress: a live view on a terminal, plain lines
/// otherwise, nothing with --json. Returns the last summary (no tasks).
/// </summary>
internal static class TreeWaiter
{
    public static async Task<TreeView> WaitAsync(CommandContext context, string treeId, CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        var client = context.Client;
        if (context.Json)
        {
            return await client.WaitAsync(treeId, environment.Wait, null, cancellationToken).ConfigureAwait(false);
        }
        var clock = Stopwatch.StartNew();
        var running = new RunningTasks(client, treeId);
        if (!environment.Interactive)
        {
            var plain = new PlainProgress(environment.Out, () => clock.Elapsed);
            return await client.WatchAsync(treeId, async (tree, token) =>
                plain.Report(tree, await running.UpdateAsync(tree, token).ConfigureAwait(false)),
                environment.Wait, cancellationToken).ConfigureAwait(false);
        }
        TreeView? last = null;
        await environment.Console.Live(new Text($"waiting for tree {treeId}"))
            .StartAsync(async live =>
            {
                last = await client.WatchAsync(treeId, async (tree, token) =>
                {
                    var ids = await running.UpdateAsync(tree, token).ConfigureAwait(false);
                    live.UpdateTarget(TreeProgressView.Render(tree, ids, clock.Elapsed));
                    live.Refresh();
                }, environment.Wait, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return last!;
    }
}
