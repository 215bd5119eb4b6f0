using System.Diagnostics;
using DurableFlow.Client;
using Spectre.Console;

namespace DurableFlow.Cli.Rendering;

/// <summary>Waits for a tree to end, showing its progress: a live view on a terminal, plain lines otherwise, nothing with --json.</summary>
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
        if (!environment.Interactive)
        {
            var plain = new PlainProgress(environment.Out, () => clock.Elapsed);
            return await client.WaitAsync(treeId, environment.Wait, plain, cancellationToken).ConfigureAwait(false);
        }
        TreeView? last = null;
        await environment.Console.Live(new Text($"waiting for tree {treeId}"))
            .StartAsync(async live =>
            {
                var progress = new CallbackProgress(tree =>
                {
                    live.UpdateTarget(TreeProgressView.Render(tree, clock.Elapsed));
                    live.Refresh();
                });
                last = await client.WaitAsync(treeId, environment.Wait, progress, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return last!;
    }

    /// <summary>Reports synchronously on the polling thread (unlike <see cref="Progress{T}"/>, which posts), so the view is current when the wait returns.</summary>
    private sealed class CallbackProgress(Action<TreeView> report) : IProgress<TreeView>
    {
        public void Report(TreeView value) => report(value);
    }
}
