using System.CommandLine;
using DurableFlow.Cli.Rendering;
using DurableFlow.Client;

namespace DurableFlow.Cli.Commands;

/// <summary><c>dflow list [--status S] [--limit N] [--continuation TOKEN]</c>.</summary>
internal static class ListCommand
{
    public static Command Create(CliEnvironment environment, GlobalOptions options)
    {
        var status = new Option<string?>("--status") { Description = "Only trees with this status" };
        status.AcceptOnlyFromAmong([.. TreeStatuses.All]);
        var limit = new Option<int?>("--limit") { Description = "Trees per page, 1-500 (server default 50)" };
        var continuation = new Option<string?>("--continuation") { Description = "Continue a previous list from its token" };
        var command = new Command("list", "List the user's trees, newest first (see --user)") { status, limit, continuation };
        command.SetAction(environment, options, async (context, cancellationToken) =>
        {
            var page = await context.Client.ListTreesAsync(new TreeListQuery
            {
                Status = context.Value(status),
                Limit = context.Value(limit),
                Continuation = context.Value(continuation),
            }, cancellationToken).ConfigureAwait(false);
            if (context.Json)
            {
                return JsonOutput.Write(environment, page);
            }
            ConsoleViews.WriteTreeList(environment.Console, page);
            return ExitCodes.Completed;
        });
        return command;
    }
}
