using System.CommandLine;
using DurableFlow.Cli.Rendering;
using DurableFlow.Client;
using Spectre.Console;

namespace DurableFlow.Cli.Commands;

/// <summary><c>dflow submit FILE|- [--wait] [--tree-id ID]</c>.</summary>
internal static class SubmitCommand
{
    public static Command Create(CliEnvironment environment, GlobalOptions options)
    {
        var file = new Argument<string>("FILE") { Description = "A tree as JSON (see samples/), or - for standard input" };
        var wait = new Option<bool>("--wait") { Description = "Wait for the tree to end, showing its progress; the exit code tells how it ended" };
        var treeId = new Option<string?>("--tree-id") { Description = "Submit under this tree id (replaces the file's)" };
        var command = new Command("submit", "Submit a tree; the file goes as written, so the server's validator judges it") { file, wait, treeId };
        command.SetAction(environment, options, async (context, cancellationToken) =>
        {
            var json = await context.ReadTreeFileAsync(context.Value(file)!, cancellationToken).ConfigureAwait(false);
            var submitted = await context.Client.SubmitJsonAsync(json, context.Value(treeId), cancellationToken).ConfigureAwait(false);
            if (!context.Value(wait))
            {
                if (context.Json)
                {
                    return JsonOutput.Write(environment, submitted);
                }
                environment.Console.MarkupLine(submitted.Created
                    ? $"submitted tree [bold]{submitted.TreeId.EscapeMarkup()}[/] ({submitted.TaskCount} tasks)"
                    : $"tree [bold]{submitted.TreeId.EscapeMarkup()}[/] was already submitted with this content; nothing new started");
                return ExitCodes.Completed;
            }
            if (!context.Json)
            {
                environment.Out.WriteLine($"submitted tree {submitted.TreeId} ({submitted.TaskCount} tasks)");
            }
            return await WaitAndReportAsync(context, submitted.TreeId, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>Waits for the tree, prints how it ended (its summary; with --json the summary's JSON), and returns the exit code for it.</summary>
    public static async Task<int> WaitAndReportAsync(CommandContext context, string treeId, CancellationToken cancellationToken)
    {
        var tree = await TreeWaiter.WaitAsync(context, treeId, cancellationToken).ConfigureAwait(false);
        if (context.Json)
        {
            JsonOutput.Write(context.Environment, tree);
        }
        else
        {
            await StatusCommand.WriteSummaryAsync(context, tree, cancellationToken).ConfigureAwait(false);
        }
        return ExitCodes.ForTree(tree.Status);
    }
}
