using System.CommandLine;
using DurableFlow.Cli.Rendering;
using DurableFlow.Client;
using Spectre.Console;

namespace DurableFlow.Cli.Commands;

/// <summary><c>dflow tasks ID [--status S[,S...]] [--limit N] [--continuation TOKEN] [--all] [--results]</c>.</summary>
internal static class TasksCommand
{
    public static Command Create(CliEnvironment environment, GlobalOptions options)
    {
        var id = new Argument<string>("ID") { Description = "The tree id" };
        var status = new Option<string[]>("--status")
        {
            Description = $"Only tasks in these statuses (repeatable, or comma-separated: {string.Join(',', TaskStatuses.All)})",
        };
        var limit = new Option<int?>("--limit") { Description = "Tasks per page, 1-1000 (server default 100; 1000 with --all)" };
        var continuation = new Option<string?>("--continuation") { Description = "Continue from a previous page's token" };
        var all = new Option<bool>("--all") { Description = "Read every page, not just one" };
        var results = new Option<bool>("--results") { Description = "Also read each task's result" };
        var command = new Command("tasks", "List a tree's tasks a page at a time (a page may be short and still have more)")
        {
            id, status, limit, continuation, all, results,
        };
        command.SetAction(environment, options, async (context, cancellationToken) =>
        {
            var treeId = context.Value(id)!;
            var withResults = context.Value(results);
            var query = new TaskPageQuery
            {
                Statuses = Statuses(context.Value(status)),
                Limit = context.Value(limit),
                Continuation = context.Value(continuation),
                IncludeResults = withResults,
            };
            TaskPage page;
            if (context.Value(all))
            {
                // Every page, printed as one last page holding every task.
                query = query with { Limit = query.Limit ?? DurableFlowClient.MaxTaskPageLimit };
                var tasks = new List<TaskView>();
                do
                {
                    page = await context.Client.GetTasksPageAsync(treeId, query, cancellationToken).ConfigureAwait(false);
                    tasks.AddRange(page.Tasks);
                    query = query with { Continuation = page.Continuation };
                }
                while (!string.IsNullOrEmpty(page.Continuation));
                page = page with { Tasks = tasks, Continuation = null, Links = new TaskPageLinks() };
            }
            else
            {
                page = await context.Client.GetTasksPageAsync(treeId, query, cancellationToken).ConfigureAwait(false);
            }
            if (context.Json)
            {
                return JsonOutput.WriteTasks(environment, page, withResults);
            }
            environment.Console.Write(ConsoleViews.TaskTable(page.Tasks, withResults));
            if (page.Continuation is not null)
            {
                environment.Console.MarkupLine($"more: --continuation {page.Continuation.EscapeMarkup()}");
            }
            return ExitCodes.Completed;
        });
        return command;
    }

    /// <summary>The statuses of every --status (each may list several, comma-separated); an unknown one is bad usage.</summary>
    private static List<string>? Statuses(string[]? given)
    {
        var statuses = (given ?? []).SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal).ToList();
        var unknown = statuses.Where(s => !TaskStatuses.All.Contains(s)).ToList();
        if (unknown.Count > 0)
        {
            throw new UsageException($"--status '{string.Join(',', unknown)}' is not a task status; one of {string.Join(", ", TaskStatuses.All)}");
        }
        return statuses.Count == 0 ? null : statuses;
    }
}
