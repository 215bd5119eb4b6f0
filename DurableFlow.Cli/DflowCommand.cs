using System.CommandLine;
using DurableFlow.Cli.Commands;

namespace DurableFlow.Cli;

/// <summary>The <c>dflow</c> command line: parsing by System.CommandLine, output by Spectre.Console.</summary>
internal static class DflowCommand
{
    public static RootCommand Create(CliEnvironment environment)
    {
        var options = new GlobalOptions();
        var root = new RootCommand("dflow: submit, watch and inspect DurableFlow task trees.\n" +
            "Exit codes: 0 completed, 1 failed, 2 bad input or usage, 3 cancelled, 4 server or network error.");
        foreach (var option in options.All)
        {
            root.Options.Add(option);
        }
        root.Subcommands.Add(SubmitCommand.Create(environment, options));
        root.Subcommands.Add(StatusCommand.Create(environment, options));
        root.Subcommands.Add(TaskCommand.Create(environment, options));
        root.Subcommands.Add(TasksCommand.Create(environment, options));
        root.Subcommands.Add(ListCommand.Create(environment, options));
        root.Subcommands.Add(CancelCommand.Create(environment, options));
        root.Subcommands.Add(TerminateCommand.Create(environment, options));
        root.Subcommands.Add(RerunCommand.Create(environment, options));
        root.Subcommands.Add(ExecutorsCommand.Create(environment, options));
        root.Subcommands.Add(ValidateCommand.Create(environment, options));
        root.Subcommands.Add(GraphCommand.Create(environment, options));
        return root;
    }

    public static async Task<int> InvokeAsync(CliEnvironment environment, IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var parse = Create(environment).Parse(args);
        if (parse.Errors.Count > 0)
        {
            // System.CommandLine exits 1 on a parse error; dflow keeps 1 for "the tree failed", so usage is 2.
            foreach (var error in parse.Errors)
            {
                await environment.Error.WriteLineAsync("dflow: " + error.Message).ConfigureAwait(false);
            }
            await environment.Error.WriteLineAsync("Run 'dflow --help' for usage.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = environment.Out, Error = environment.Error }, cancellationToken)
            .ConfigureAwait(false);
    }
}
