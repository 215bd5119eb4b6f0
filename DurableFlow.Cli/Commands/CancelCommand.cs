using System.CommandLine;
using Spectre.Console;

namespace DurableFlow.Cli.Commands;

/// <summary><c>dflow cancel ID</c>.</summary>
internal static class CancelCommand
{
    public static Command Create(CliEnvironment environment, GlobalOptions options)
    {
        var id = new Argument<string>("ID") { Description = "The tree id" };
        var command = new Command("cancel", "Cancel a running tree: tasks not started are cancelled, running ones finish") { id };
        command.SetAction(environment, options, async (context, cancellationToken) =>
        {
            var answer = await context.Client.CancelAsync(context.Value(id)!, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                return JsonOutput.Write(environment, answer);
            }
            environment.Console.MarkupLine($"cancel requested for tree [bold]{answer.TreeId.EscapeMarkup()}[/] (status {answer.Status.EscapeMarkup()})");
            return ExitCodes.Completed;
        });
        return command;
    }
}
