using System.CommandLine;
using DurableFlow.Cli.Rendering;

namespace DurableFlow.Cli.Commands;

/// <summary><c>dflow executors</c>.</summary>
internal static class ExecutorsCommand
{
    public static Command Create(CliEnvironment environment, GlobalOptions options)
    {
        var command = new Command("executors", "List the server's executors and their inputs");
        command.SetAction(environment, options, async (context, cancellationToken) =>
        {
            var executors = await context.Client.ListExecutorsAsync(cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                return JsonOutput.Write(environment, executors);
            }
            ConsoleViews.WriteExecutors(environment.Console, executors);
            return ExitCodes.Completed;
        });
        return command;
    }
}
