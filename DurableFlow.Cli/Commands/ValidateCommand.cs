using System.CommandLine;
using DurableFlow.Client;
using Spectre.Console;

namespace DurableFlow.Cli.Commands;

/// <summary><c>dflow validate FILE</c>: the server's own parser and validator, offline.</summary>
internal static class ValidateCommand
{
    public static Command Create(CliEnvironment environment, GlobalOptions options)
    {
        var file = new Argument<string>("FILE") { Description = "A tree as JSON, or - for standard input" };
        var command = new Command("validate",
            "Check a tree offline with the server's validator (every rule but unknown_executor, which needs the server's registry)") { file };
        command.SetAction(environment, options, async (context, cancellationToken) =>
        {
            var check = await ReadAsync(context, context.Value(file)!, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                JsonOutput.Write(environment, new { valid = check.IsValid, task_count = check.Tasks?.Count ?? 0, errors = check.Problems });
                return check.IsValid ? ExitCodes.Completed : ExitCodes.BadInput;
            }
            if (check.IsValid)
            {
                environment.Console.MarkupLine($"[green]valid[/]: {check.Tasks!.Count} tasks");
                return ExitCodes.Completed;
            }
            WriteProblems(environment, check.Problems);
            return ExitCodes.BadInput;
        });
        return command;
    }

    /// <summary>Reads FILE with the offline validator; a build without one says so (bad usage) rather than pretend.</summary>
    public static async Task<Validation.TreeFileCheck> ReadAsync(CommandContext context, string path, CancellationToken cancellationToken)
    {
        if (!context.Environment.TreeFiles.IsAvailable)
        {
            throw new UsageException("this build of dflow has no offline validator yet (it awaits DurableFlow.Core); " +
                "`dflow submit` validates on the server");
        }
        var json = await context.ReadTreeFileAsync(path, cancellationToken).ConfigureAwait(false);
        return context.Environment.TreeFiles.Read(json);
    }

    public static void WriteProblems(CliEnvironment environment, IReadOnlyList<ApiErrorDetail> problems)
    {
        environment.Error.WriteLine($"invalid: {problems.Count} problem{(problems.Count == 1 ? "" : "s")}");
        foreach (var problem in problems)
        {
            environment.Error.WriteLine($"  {problem.Code} at {problem.Path ?? "$"}: {problem.Message}");
        }
    }
}
