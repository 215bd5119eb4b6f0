using System.CommandLine;
using DurableFlow.Cli.Rendering;

namespace DurableFlow.Cli.Commands;

/// <summary><c>dflow task ID TASK</c>.</summary>
internal static class TaskCommand
{
    public static Command Create(CliEnvironment environment, GlobalOptions options)
    {
        var id = new Argument<string>("ID") { Description = "The tree id" };
        var task = new Argument<string>("TASK") { Description = "The task id" };
        var command = new Command("task", "Show one task: status, inputs, result or error") { id, task };
        command.SetAction(environment, options, async (context, cancellationToken) =>
        {
            var record = await context.Client.GetTaskAsync(context.Value(id)!, context.Value(task)!, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                return JsonOutput.Write(environment, record);
            }
            ConsoleViews.WriteTask(environment.Console, record);
            return ExitCodes.Completed;
        });
        return command;
    }
}
