using System.CommandLine;
using DurableFlow.Cli.Rendering;

namespace DurableFlow.Cli.Commands;

/// <summary><c>dflow status ID [--tasks]</c>.</summary>
internal static class StatusCommand
{
    public static Command Create(CliEnvironment environment, GlobalOptions options)
    {
        var id = new Argument<string>("ID") { Description = "The tree id" };
        var tasks = new Option<bool>("--tasks") { Description = "Also list every task" };
        var command = new Command("status", "Show a tree's status (exit code 0 whatever the tree's status)") { id, tasks };
        command.SetAction(environment, options, async (context, cancellationToken) =>
        {
            var tree = await context.Client.GetTreeAsync(context.Value(id)!, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                return JsonOutput.Write(environment, tree);
            }
            ConsoleViews.WriteTree(environment.Console, tree, context.Value(tasks));
            return ExitCodes.Completed;
        });
        return command;
    }
}
