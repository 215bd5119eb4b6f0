using System.CommandLine;
using DurableFlow.Cli.Rendering;

namespace DurableFlow.Cli.Commands;

/// <summary><c>dflow graph FILE|ID --format mermaid|dot</c>.</summary>
internal static class GraphCommand
{
    public static Command Create(CliEnvironment environment, GlobalOptions options)
    {
        var source = new Argument<string>("FILE|ID") { Description = "A tree file (or - for standard input), else the id of a submitted tree (then nodes are coloured by status)" };
        var format = new Option<string>("--format") { Description = "Output format", DefaultValueFactory = _ => GraphRenderer.Mermaid };
        format.AcceptOnlyFromAmong(GraphRenderer.Mermaid, GraphRenderer.Dot);
        var command = new Command("graph", "Print a tree's dependency graph as Mermaid or Graphviz DOT") { source, format };
        command.SetAction(environment, options, async (context, cancellationToken) =>
        {
            var from = context.Value(source)!;
            IReadOnlyList<Client.TaskView> tasks;
            if (from == "-" || File.Exists(from))
            {
                var check = await ValidateCommand.ReadAsync(context, from, cancellationToken).ConfigureAwait(false);
                if (check.Tasks is null)
                {
                    ValidateCommand.WriteProblems(environment, check.Problems);
                    return ExitCodes.BadInput;
                }
                // A tree that parses but breaks a rule (a cycle, say) is still drawn: seeing it is how one finds the fault.
                foreach (var problem in check.Problems)
                {
                    await environment.Error.WriteLineAsync($"warning: {problem.Code} at {problem.Path ?? "$"}: {problem.Message}").ConfigureAwait(false);
                }
                tasks = check.Tasks;
            }
            else
            {
                tasks = (await context.Client.GetTreeWithAllTasksAsync(from, cancellationToken: cancellationToken).ConfigureAwait(false)).Tasks ?? [];
            }
            await environment.Out.WriteAsync(GraphRenderer.Render(tasks, context.Value(format)!)).ConfigureAwait(false);
            await environment.Out.FlushAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Completed;
        });
        return command;
    }
}
