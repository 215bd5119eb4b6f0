using System.CommandLine;
using DurableFlow.Client;
using Spectre.Console;

namespace DurableFlow.Cli.Commands;

/// <summary><c>dflow rerun ID [--task T ...] [--expected-run N] [--wait]</c>.</summary>
internal static class RerunCommand
{
    public static Command Create(CliEnvironment environment, GlobalOptions options)
    {
        var id = new Argument<string>("ID") { Description = "The tree id" };
        var tasks = new Option<string[]>("--task") { Description = "Also re-run this completed task and everything downstream of it (repeatable)" };
        var expectedRun = new Option<int?>("--expected-run") { Description = "Only if the tree is at this run (else 409 run_mismatch)" };
        var wait = new Option<bool>("--wait") { Description = "Wait for the new run to end, showing its progress" };
        var command = new Command("rerun", "Run the failed part of an ended tree again, keeping completed results") { id, tasks, expectedRun, wait };
        command.SetAction(environment, options, async (context, cancellationToken) =>
        {
            var named = context.Value(tasks) ?? [];
            var request = named.Length == 0 && context.Value(expectedRun) is null
                ? null
                : new RerunRequest { Tasks = named.Length == 0 ? null : named, ExpectedRun = context.Value(expectedRun) };
            var answer = await context.Client.RerunAsync(context.Value(id)!, request, cancellationToken).ConfigureAwait(false);
            if (context.Json && !context.Value(wait))
            {
                return JsonOutput.Write(environment, answer);
            }
            if (!context.Json)
            {
                environment.Console.MarkupLine($"tree [bold]{answer.TreeId.EscapeMarkup()}[/] run {answer.Run}: " +
                    $"re-running {string.Join(", ", answer.Rerun).EscapeMarkup()} ({answer.Carried} completed tasks kept)");
            }
            return context.Value(wait)
                ? await SubmitCommand.WaitAndReportAsync(context, answer.TreeId, cancellationToken).ConfigureAwait(false)
                : ExitCodes.Completed;
        });
        return command;
    }
}
