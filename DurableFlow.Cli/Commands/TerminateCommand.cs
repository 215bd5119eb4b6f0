using System.CommandLine;
using Spectre.Console;

namespace DurableFlow.Cli.Commands;

/// <summary><c>dflow terminate ID [--reason TEXT]</c>.</summary>
internal static class TerminateCommand
{
    public static Command Create(CliEnvironment environment, GlobalOptions options)
    {
        var id = new Argument<string>("ID") { Description = "The tree id" };
        var reason = new Option<string?>("--reason") { Description = "Why; recorded as the tree's error (terminated: REASON)" };
        var command = new Command("terminate", "End a stuck tree at once: running tasks are abandoned and the tree is recorded failed") { id, reason };
        command.SetAction(environment, options, async (context, cancellationToken) =>
        {
            var answer = await context.Client.TerminateAsync(context.Value(id)!, context.Value(reason), cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                return JsonOutput.Write(environment, answer);
            }

            environment.Console.MarkupLine($"tree [bold]{answer.TreeId.EscapeMarkup()}[/] terminated: {answer.Status.EscapeMarkup()} ({answer.Error.EscapeMarkup()})");
            return ExitCodes.Completed;
        });
        return command;
    }
}
