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

    /// <summary>Reads FILE (its bytes, as the API reads a body: BOM and UTF-8 rules included) with the offline validator.</summary>
    public static async Task<Validation.TreeFileCheck> ReadAsync(CommandContext context, string path, CancellationToken cancellationToken)
    {
        var json = await context.ReadTreeFileBytesAsync(path, cancellationToken).ConfigureAwait(false);
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
