using System.Net;
using System.Text.Json;
using DurableFlow.Client.Tests.Fakes;

namespace DurableFlow.Client.Tests.Client;

/// <summary>The tree read's views, the tasks pages and following their continuations.</summary>
public partial class DurableFlowClientTests
{
    [Fact]
    public async Task GetTree_sends_the_view_and_include_results_and_reads_a_summary_without_tasks()
    {
        var (client, server, _) = Connect(new FakeHandler(request => FakeHandler.Json(HttpStatusCode.OK,
            request.Uri.Query.Contains("view=summary", StringComparison.Ordinal)
                ? Trees.Summary("demo-1", TreeStatuses.InProgress, ("cpu", TaskStatuses.Completed), ("sum", TaskStatuses.Pending))
                : Trees.View("demo-1", TreeStatuses.InProgress, ("cpu", TaskStatuses.Completed), ("sum", TaskStatuses.Pending)))),
            o => o.UserId = "u");

        var summary = await client.GetTreeSummaryAsync("demo-1");
        await client.GetTreeAsync("demo-1", new TreeReadOptions { IncludeResults = true });
        await client.GetTreeAsync("demo-1", new TreeReadOptions { View = TreeReadView.Nested, IncludeResults = true });
        await client.GetTreeAsync("demo-1");

        Assert.Equal(
            ["/api/trees/demo-1?view=summary&user_id=u", "/api/trees/demo-1?include=results&user_id=u",
                "/api/trees/demo-1?view=nested&include=results&user_id=u", "/api/trees/demo-1?user_id=u"],
            server.Requests.Select(r => r.PathAndQuery));
        Assert.Null(summary.Tasks);
        Assert.Equal(1, summary.Counts.Completed);
        Assert.Equal(2, summary.TaskCount);
        // Printed as the API wrote it: a summary has no tasks key, and no tasks_continuation unless the server sent one.
        var printed = JsonDocument.Parse(JsonSerializer.Serialize(summary, DurableFlowJson.Wire)).RootElement;
        Assert.False(printed.TryGetProperty("tasks", out _));
        Assert.False(printed.TryGetProperty("tasks_continuation", out _));
    }

    [Fact]
    public async Task A_task_without_a_result_key_reads_null_and_one_with_results_reads_the_result()
    {
        const string Tree = """
            {"tree_id":"t","user_id":"u","status":"completed","progress":1,"counts":{"completed":2},"task_count":2,"run":1,
             "links":{"self":"/api/trees/t","cancel":"/api/trees/t/cancel","tasks":"/api/trees/t/tasks"},"runs":[],
             "tasks":[{"id":"a","name":"x","status":"completed","error":null,"inputs":{}},
                      {"id":"b","name":"x","status":"completed","result":{"n":1},"error":null,"inputs":{}}],
             "tasks_continuation":"page-2"}
            """;
        var (client, _, _) = Connect(new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.OK, Tree)));

        var tree = await client.GetTreeAsync("t");

        Assert.Null(tree.Tasks![0].Result);
        Assert.Equal(1, tree.Tasks[1].Result!.Value.GetProperty("n").GetInt32());
        Assert.Equal("page-2", tree.TasksContinuation);
        Assert.Equal("/api/trees/t/tasks", tree.Links.Tasks);
    }

    [Fact]
    public async Task GetTasksPage_sends_limit_statuses_include_continuation_and_user_and_reads_the_page()
    {
        var page = Trees.Page("a/b", "c+2", ("x", TaskStatuses.Failed), ("y", TaskStatuses.Skipped));
        var (client, server, _) = Connect(new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.OK, page)), o => o.UserId = "u");

        var read = await client.GetTasksPageAsync("a/b", new TaskPageQuery
        {
            Limit = 500, Statuses = [TaskStatuses.Failed, TaskStatuses.Skipped], IncludeResults = true, Continuation = "c+1",
        });
        await client.GetTasksPageAsync("a/b");
        await client.GetTasksPageAsync("a/b", new TaskPageQuery { Statuses = [] });

        Assert.Equal("/api/trees/a%2Fb/tasks?limit=500&status=failed%2Cskipped&include=results&continuation=c%2B1&user_id=u", server.Requests[0].PathAndQuery);
        Assert.Equal("/api/trees/a%2Fb/tasks?user_id=u", server.Requests[1].PathAndQuery);
        Assert.Equal("/api/trees/a%2Fb/tasks?user_id=u", server.Requests[2].PathAndQuery);
        Assert.Equal(["x", "y"], read.Tasks.Select(t => t.Id));
        Assert.Equal("c+2", read.Continuation);
        Assert.Equal("/api/trees/a/b/tasks?continuation=c+2", read.Links.Next);
        Assert.Equal(1, read.Run);
        Assert.Equal("unknown resource 'gpu'", read.Tasks[0].Error);
    }

    [Fact]
    public async Task GetAllTasks_follows_continuations_through_short_and_empty_pages_keeping_the_filters()
    {
        var (client, server, _) = Connect(new FakeHandler(
            _ => FakeHandler.Json(HttpStatusCode.OK, Trees.Page("t", "p2", ("a", TaskStatuses.Failed))),
            _ => FakeHandler.Json(HttpStatusCode.OK, Trees.Page("t", "p3")),
            _ => FakeHandler.Json(HttpStatusCode.OK, Trees.Page("t", null, ("b", TaskStatuses.Failed), ("c", TaskStatuses.Failed)))));

        var ids = new List<string>();
        await foreach (var task in client.GetAllTasksAsync("t", new TaskPageQuery { Statuses = [TaskStatuses.Failed] }))
        {
            ids.Add(task.Id);
        }

        Assert.Equal(["a", "b", "c"], ids);
        Assert.Equal(
            ["/api/trees/t/tasks?limit=1000&status=failed", "/api/trees/t/tasks?limit=1000&status=failed&continuation=p2",
                "/api/trees/t/tasks?limit=1000&status=failed&continuation=p3"],
            server.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task GetAllTasks_stops_asking_when_the_caller_stops_reading()
    {
        var (client, server, _) = Connect(new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.OK, Trees.Page("t", "more", ("a", TaskStatuses.Failed), ("b", TaskStatuses.Failed)))));

        var first = new List<string>();
        await foreach (var task in client.GetAllTasksAsync("t", new TaskPageQuery { Limit = 2 }))
        {
            first.Add(task.Id);
            if (first.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(["a", "b", "a"], first);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal("/api/trees/t/tasks?limit=2&continuation=more", server.Requests[1].PathAndQuery);
    }

    [Fact]
    public async Task GetTreeWithAllTasks_continues_the_tree_read_through_the_tasks_pages()
    {
        var tree = Trees.View("t", TreeStatuses.Completed, ("a", TaskStatuses.Completed)) with { TasksContinuation = "from-1000" };
        var (client, server, _) = Connect(new FakeHandler(
            _ => FakeHandler.Json(HttpStatusCode.OK, tree),
            _ => FakeHandler.Json(HttpStatusCode.OK, Trees.Page("t", "p3", ("b", TaskStatuses.Completed))),
            _ => FakeHandler.Json(HttpStatusCode.OK, Trees.Page("t", null, ("c", TaskStatuses.Completed)))));

        var all = await client.GetTreeWithAllTasksAsync("t", includeResults: true);

        Assert.Equal(["a", "b", "c"], all.Tasks!.Select(t => t.Id));
        Assert.Null(all.TasksContinuation);
        Assert.Equal(TreeStatuses.Completed, all.Status);
        Assert.Equal(
            ["/api/trees/t?include=results", "/api/trees/t/tasks?limit=1000&include=results&continuation=from-1000",
                "/api/trees/t/tasks?limit=1000&include=results&continuation=p3"],
            server.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task GetTreeWithAllTasks_of_a_small_tree_is_one_read()
    {
        var (client, server, _) = Connect(new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.OK, Trees.View("t", TreeStatuses.Completed, ("a", TaskStatuses.Completed)))));

        var all = await client.GetTreeWithAllTasksAsync("t");

        Assert.Equal(["a"], all.Tasks!.Select(t => t.Id));
        Assert.Equal("/api/trees/t", server.Requests.Single().PathAndQuery);
    }

    [Fact]
    public async Task A_bad_page_parameter_throws_the_apis_invalid_request()
    {
        var (client, server, _) = Connect(new FakeHandler(_ => FakeHandler.Error(HttpStatusCode.BadRequest, "invalid_request", "limit must be 1 to 1000",
            new ApiErrorDetail { Code = "invalid_request", Message = "limit must be 1 to 1000", Path = "limit" })));

        var error = await Assert.ThrowsAsync<DurableFlowApiException>(() => client.GetTasksPageAsync("t", new TaskPageQuery { Limit = 5000 }));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("invalid_request", error.Code);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Watch_awaits_its_observer_after_every_summary_before_polling_again()
    {
        var (client, server, _) = Connect(new FakeHandler(
            _ => FakeHandler.Json(HttpStatusCode.OK, Trees.Summary("t", TreeStatuses.InProgress, ("a", TaskStatuses.InProgress))),
            _ => FakeHandler.Json(HttpStatusCode.OK, Trees.Page("t", null, ("a", TaskStatuses.InProgress))),
            _ => FakeHandler.Json(HttpStatusCode.OK, Trees.Summary("t", TreeStatuses.Completed, ("a", TaskStatuses.Completed)))));
        var running = new List<string>();

        var tree = await client.WatchAsync("t", async (summary, cancellationToken) =>
        {
            if (summary.Counts.InProgress > 0)
            {
                var page = await client.GetTasksPageAsync("t", new TaskPageQuery { Statuses = [TaskStatuses.InProgress], Limit = 8 }, cancellationToken);
                running.AddRange(page.Tasks.Select(t => t.Id));
            }
        });

        Assert.Equal(TreeStatuses.Completed, tree.Status);
        Assert.Equal(["a"], running);
        Assert.Equal(["/api/trees/t?view=summary", "/api/trees/t/tasks?limit=8&status=in_progress", "/api/trees/t?view=summary"],
            server.Requests.Select(r => r.PathAndQuery));
    }
}
