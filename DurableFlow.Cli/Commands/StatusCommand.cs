using System.CommandLine;
using DurableFlow.Cli.Rendering;
using DurableFlow.Client;

namespace DurableFlow.Cli.Commands;

/// <summary><c>dflow status ID [--tasks]</c>.</summary>
internal static class StatusCommand
{
    public static Command Create(CliEnvironment environment, GlobalOptions options)
    {
        var id = new Argument<string>("ID") { Description = "The tree id" };
        var tasks = new Option<bool>("--tasks") { Description = "Also list every task (read page by page; without results)" };
        var command = new Command("status", "Show a tree's status from its summary (exit code 0 whatever the tree's status)") { id, tasks };
        command.SetAction(environment, options, async (context, cancellationToken) =>
        {
            var treeId = context.Value(id)!;
            if (context.Value(tasks))
            {
                var tree = await context.Client.GetTreeWithAllTasksAsync(treeId, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (context.Json)
                {
                    return JsonOutput.WriteTasks(environment, tree, withResults: false);
                }
                ConsoleViews.WriteTree(environment.Console, tree);
                environment.Console.Write(ConsoleViews.TaskTable(tree.Tasks ?? []));
                return ExitCodes.Completed;
            }
            var summary = await context.Client.GetTreeSummaryAsync(treeId, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                return JsonOutput.Write(environment, summary);
            }
            await WriteSummaryAsync(context, summary, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Completed;
        });
        return command;
    }

    /// <summary>The summary's status, counts and times, and the first failed tasks with their errors (read for the purpose).</summary>
    public static async Task WriteSummaryAsync(CommandContext context, TreeView summary, CancellationToken cancellationToken)
    {
        var console = context.Environment.Console;
        ConsoleViews.WriteTree(console, summary);
        if (summary.Counts.Failed == 0)
        {
            return;
        }
        var failed = new List<TaskView>();
        var query = new TaskPageQuery { Statuses = [TaskStatuses.Failed], Limit = ConsoleViews.FailedShown };
        await foreach (var task in context.Client.GetAllTasksAsync(summary.TreeId, query, cancellationToken).ConfigureAwait(false))
        {
            failed.Add(task);
            if (failed.Count == ConsoleViews.FailedShown)
            {
                break;
            }
        }
        ConsoleViews.WriteFailedTasks(console, summary, failed);
    }
}
