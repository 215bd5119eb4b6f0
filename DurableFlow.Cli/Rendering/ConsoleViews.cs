using System.Globalization;
using System.Text.Json;
using DurableFlow.Client;
using Spectre.Console;

namespace DurableFlow.Cli.Rendering;

/// <summary>The human-readable views of the API's answers.</summary>
internal static class ConsoleViews
{
    /// <summary>How many failed tasks <see cref="WriteFailedTasks"/> names before pointing at <c>dflow tasks</c>.</summary>
    public const int FailedShown = 20;

    /// <summary>The tree's status, counts and times (from any view; the tasks are not shown).</summary>
    public static void WriteTree(IAnsiConsole console, TreeView tree)
    {
        console.MarkupLine($"tree [bold]{tree.TreeId.EscapeMarkup()}[/]  {StatusStyles.Markup(tree.Status)}  " +
            $"{tree.Counts.Ended}/{tree.TaskCount} ended  run {tree.Run}  user {tree.UserId.EscapeMarkup()}");
        console.MarkupLine($"  {StatusStyles.CountsText(tree.Counts).EscapeMarkup()}");
        console.MarkupLine($"  created {Time(tree.CreatedAt)}  started {Time(tree.StartedAt)}  completed {Time(tree.CompletedAt)}");
    }

    /// <summary>Each of <paramref name="failed"/> with its error, and how many more failed than are shown.</summary>
    public static void WriteFailedTasks(IAnsiConsole console, TreeView tree, IReadOnlyList<TaskView> failed)
    {
        foreach (var task in failed.Where(t => t.Error is not null && t.Status is TaskStatuses.Failed))
        {
            console.MarkupLine($"  [red]{task.Id.EscapeMarkup()}[/]: {task.Error.EscapeMarkup()}");
        }
        var more = tree.Counts.Failed - failed.Count;
        if (more > 0)
        {
            console.MarkupLine($"  and {more} more failed: dflow tasks {tree.TreeId.EscapeMarkup()} --status failed");
        }
    }

    public static Table TaskTable(IEnumerable<TaskView> tasks, bool withResults = false)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("task", "executor", "status", "priority", "depends on", "attempts", "duration", "error");
        if (withResults)
        {
            table.AddColumn("result");
        }
        foreach (var task in tasks)
        {
            var cells = new List<string>
            {
                task.Id.EscapeMarkup(),
                task.Name.EscapeMarkup(),
                StatusStyles.Markup(task.Status),
                task.Priority.ToString(CultureInfo.InvariantCulture),
                string.Join(", ", task.Dependencies.Select(d => d.Required ? d.Id : d.Id + "?")).EscapeMarkup(),
                task.Attempts.ToString(CultureInfo.InvariantCulture),
                Duration(task.StartedAt, task.CompletedAt),
                (task.Error ?? "").EscapeMarkup(),
            };
            if (withResults)
            {
                cells.Add(Clip(Json(task.Result), ResultShown).EscapeMarkup());
            }
            table.AddRow([.. cells]);
        }
        return table;
    }

    public static void WriteTask(IAnsiConsole console, TaskView task)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("task", task.Id.EscapeMarkup());
        grid.AddRow("executor", task.Name.EscapeMarkup());
        grid.AddRow("status", StatusStyles.Markup(task.Status));
        grid.AddRow("priority", task.Priority.ToString(CultureInfo.InvariantCulture));
        grid.AddRow("parent", (task.ParentId ?? "-").EscapeMarkup());
        grid.AddRow("depends on", string.Join(", ", task.Dependencies.Select(d => d.Required ? d.Id : d.Id + " (optional)")).EscapeMarkup());
        grid.AddRow("attempts", task.Attempts.ToString(CultureInfo.InvariantCulture));
        grid.AddRow("started", Time(task.StartedAt));
        grid.AddRow("completed", Time(task.CompletedAt));
        grid.AddRow("duration", Duration(task.StartedAt, task.CompletedAt));
        grid.AddRow("inputs", Json(task.Inputs).EscapeMarkup());
        grid.AddRow("result", Json(task.Result).EscapeMarkup());
        grid.AddRow("error", (task.Error ?? "-").EscapeMarkup());
        console.Write(grid);
    }

    public static void WriteTreeList(IAnsiConsole console, TreeListResponse page)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("tree", "status", "ended", "run", "created", "completed");
        foreach (var tree in page.Trees)
        {
            table.AddRow(tree.TreeId.EscapeMarkup(), StatusStyles.Markup(tree.Status),
                $"{tree.Counts.Ended}/{tree.TaskCount}", tree.Run.ToString(CultureInfo.InvariantCulture),
                Time(tree.CreatedAt), Time(tree.CompletedAt));
        }
        console.Write(table);
        if (page.Continuation is not null)
        {
            console.MarkupLine($"more: --continuation {page.Continuation.EscapeMarkup()}");
        }
    }

    public static void WriteExecutors(IAnsiConsole console, ExecutorListResponse executors)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("executor", "description", "inputs");
        foreach (var executor in executors.Executors)
        {
            var inputs = string.Join(Environment.NewLine, executor.Inputs.Select(i =>
                $"{i.Name}: {i.Type}{(i.Required ? " (required)" : "")}{(i.Default is null ? "" : " = " + i.Default)}"));
            table.AddRow(executor.Name.EscapeMarkup(), executor.Description.EscapeMarkup(), inputs.EscapeMarkup());
        }
        console.Write(table);
    }

    /// <summary>An ISO 8601 time as local-free <c>yyyy-MM-dd HH:mm:ss</c> UTC, or "-".</summary>
    public static string Time(string? iso) =>
        DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
            : "-";

    public static string Duration(string? startedAt, string? completedAt) =>
        DateTimeOffset.TryParse(startedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var start)
        && DateTimeOffset.TryParse(completedAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var end)
            ? (end - start).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s"
            : "-";

    /// <summary>How much of a result a task table shows; <c>dflow task</c> shows all of it.</summary>
    private const int ResultShown = 80;

    private static string Json(JsonElement? value) => value is { } element ? element.GetRawText() : "-";

    private static string Clip(string text, int max) => text.Length > max ? text[..(max - 1)] + "…" : text;
}
