using System.Net;
using System.Text.Json;
using DurableFlow.Client.Tests.Fakes;

namespace DurableFlow.Client.Tests.Cli;

public class DflowCommandTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"dflow-test-{Guid.NewGuid():N}.json");

    public DflowCommandTests() =>
        File.WriteAllText(_file, """{"user_id": "tutorial_user", "tasks": [{"id": "cpu", "name": "system_info_executor"}]}""");

    public void Dispose()
    {
        File.Delete(_file);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// A server that accepts the tree, then shows it pending, running and ending with <paramref name="end"/>: each
    /// summary read is the next state; tasks pages (filtered by <c>status</c>) show the state of the last summary.
    /// </summary>
    private static FakeHandler RunningServer(string end, string endTask)
    {
        var reads = 0;
        (string Status, (string, string)[] Tasks) State() => reads switch
        {
            <= 1 => (TreeStatuses.Pending, [("cpu", TaskStatuses.Pending), ("memory", TaskStatuses.Pending)]),
            2 => (TreeStatuses.InProgress, [("cpu", TaskStatuses.InProgress), ("memory", TaskStatuses.Pending)]),
            3 => (TreeStatuses.InProgress, [("cpu", TaskStatuses.Completed), ("memory", TaskStatuses.InProgress)]),
            _ => (end, [("cpu", TaskStatuses.Completed), ("memory", endTask)]),
        };
        return new((request, _) =>
        {
            if (request.Method == HttpMethod.Post)
            {
                var treeId = JsonDocument.Parse(request.Body!).RootElement.GetProperty("tree_id").GetString()!;
                return FakeHandler.Json(HttpStatusCode.Accepted, new SubmitResponse { TreeId = treeId, Status = "pending", TaskCount = 2 });
            }
            return TreeRoutes(request, () =>
            {
                reads++;
                return State();
            }, State);
        });
    }

    /// <summary>Answers the summary read with <paramref name="summary"/>'s state and a tasks page with <paramref name="tasks"/>' state, filtered by the page's <c>status</c>.</summary>
    private static HttpResponseMessage TreeRoutes(RecordedRequest request,
        Func<(string Status, (string Id, string Status)[] Tasks)> summary, Func<(string Status, (string Id, string Status)[] Tasks)> tasks)
    {
        var segments = request.Uri.AbsolutePath.Split('/');
        var treeId = Uri.UnescapeDataString(segments[3]);
        var query = System.Web.HttpUtility.ParseQueryString(request.Uri.Query);
        if (segments.Length == 5 && segments[4] == "tasks")
        {
            var filter = query["status"]?.Split(',');
            var state = tasks();
            return FakeHandler.Json(HttpStatusCode.OK, Trees.Page(treeId, null, [.. state.Tasks.Where(t => filter is null || filter.Contains(t.Status))]));
        }
        Assert.Equal("summary", query["view"]);
        var read = summary();
        return FakeHandler.Json(HttpStatusCode.OK, Trees.Summary(treeId, read.Status, read.Tasks));
    }

    [Theory]
    [InlineData(TreeStatuses.Completed, TaskStatuses.Completed, 0)]
    [InlineData(TreeStatuses.Failed, TaskStatuses.Failed, 1)]
    [InlineData(TreeStatuses.Cancelled, TaskStatuses.Cancelled, 3)]
    public async Task Submit_wait_exits_with_the_code_of_how_the_tree_ended(string end, string endTask, int exit)
    {
        var cli = new CliHarness(RunningServer(end, endTask));

        var result = await cli.RunAsync("submit", _file, "--wait", "--tree-id", "demo-1");

        Assert.Equal(exit, result.Exit);
        Assert.Contains($"tree demo-1  {end}", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Interrupting_a_wait_exits_130_and_says_the_tree_runs_on()
    {
        using var interrupt = new CancellationTokenSource();
        var server = new FakeHandler((request, _) =>
        {
            if (request.Method == HttpMethod.Post)
            {
                return FakeHandler.Json(HttpStatusCode.Accepted, new SubmitResponse { TreeId = "demo-1", TaskCount = 1 });
            }
            interrupt.Cancel();
            return FakeHandler.Json(HttpStatusCode.OK, Trees.View("demo-1", TreeStatuses.InProgress, ("cpu", TaskStatuses.InProgress)));
        });
        var cli = new CliHarness(server);

        var result = await cli.RunAsync(interrupt.Token, "submit", _file, "--wait");

        Assert.Equal(130, result.Exit);
        Assert.Contains("interrupted; a submitted tree runs on", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_terminal_wait_prints_a_plain_line_per_change()
    {
        var cli = new CliHarness(RunningServer(TreeStatuses.Completed, TaskStatuses.Completed));

        var result = await cli.RunAsync("submit", _file, "--wait", "--tree-id", "demo-1");

        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.Equal("submitted tree demo-1 (2 tasks)", lines[0]);
        Assert.Matches(@"^\[\d+\.\ds\] tree demo-1 pending 0/2 ended \(pending 2\) running: -$", lines[1]);
        Assert.Matches(@"^\[\d+\.\ds\] tree demo-1 in_progress 0/2 ended \(in_progress 1, pending 1\) running: cpu$", lines[2]);
        Assert.Matches(@"^\[\d+\.\ds\] tree demo-1 in_progress 1/2 ended \(completed 1, in_progress 1\) running: memory$", lines[3]);
        Assert.Matches(@"^\[\d+\.\ds\] tree demo-1 completed 2/2 ended \(completed 2\) running: -$", lines[4]);
        Assert.DoesNotContain('\u001b', result.Out);
    }

    [Fact]
    public async Task On_a_terminal_wait_draws_the_live_view_with_counts_per_status()
    {
        var cli = new CliHarness(RunningServer(TreeStatuses.Failed, TaskStatuses.Failed), interactive: true);

        var result = await cli.RunAsync("submit", _file, "--wait", "--tree-id", "demo-1");

        Assert.Equal(1, result.Exit);
        Assert.Contains("completed 1", result.Out, StringComparison.Ordinal);
        Assert.Contains("failed 1", result.Out, StringComparison.Ordinal);
        Assert.Contains("1/2 ended", result.Out, StringComparison.Ordinal);
        Assert.Contains("unknown resource 'gpu'", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_reads_standard_input_for_a_dash_and_sends_it_with_a_tree_id()
    {
        var server = new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.Accepted, new SubmitResponse { TreeId = "x", TaskCount = 1 }));
        var cli = new CliHarness(server, input: """{"tasks": [{"id": "a", "name": "system_info_executor"}]}""");

        var result = await cli.RunAsync("submit", "-");

        Assert.Equal(0, result.Exit);
        Assert.Contains("submitted tree x (1 tasks)", result.Out, StringComparison.Ordinal);
        Assert.Matches("^\\{\"tree_id\":\"[0-9a-f]{32}\",\"tasks\"", server.Requests.Single().Body);
    }

    [Fact]
    public async Task Submit_json_prints_the_apis_answer()
    {
        var cli = new CliHarness(new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.OK, new SubmitResponse { TreeId = "x", Status = "completed", TaskCount = 1 })));

        var result = await cli.RunAsync("submit", _file, "--json");

        var answer = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal("x", answer.GetProperty("tree_id").GetString());
        Assert.Equal(1, answer.GetProperty("task_count").GetInt32());
    }

    [Fact]
    public async Task A_tree_the_server_rejects_exits_2_with_every_problem_on_standard_error()
    {
        var cli = new CliHarness(new FakeHandler(_ => FakeHandler.Error(HttpStatusCode.BadRequest, "validation_failed", "2 problems",
            new ApiErrorDetail { Code = "cycle_detected", Message = "a -> b -> a", Path = "$.tasks[0].dependencies" },
            new ApiErrorDetail { Code = "unknown_executor", Message = "no executor named 'x'", Path = "$.tasks[1].name" })));

        var result = await cli.RunAsync("submit", _file);

        Assert.Equal(2, result.Exit);
        Assert.Contains("400 validation_failed: 2 problems", result.Error, StringComparison.Ordinal);
        Assert.Contains("cycle_detected at $.tasks[0].dependencies: a -> b -> a", result.Error, StringComparison.Ordinal);
        Assert.Contains("unknown_executor at $.tasks[1].name", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_json_an_api_error_is_printed_as_the_apis_error_body()
    {
        var cli = new CliHarness(new FakeHandler(_ => FakeHandler.Error(HttpStatusCode.NotFound, "not_found", "no tree 'x'")));

        var result = await cli.RunAsync("status", "x", "--json");

        Assert.Equal(2, result.Exit);
        var error = JsonDocument.Parse(result.Error).RootElement.GetProperty("error");
        Assert.Equal("not_found", error.GetProperty("code").GetString());
        Assert.Equal(0, error.GetProperty("details").GetArrayLength());
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task A_server_error_exits_4(HttpStatusCode status)
    {
        var cli = new CliHarness(new FakeHandler(_ => FakeHandler.Error(status, "service_unavailable", "storage unreachable")));

        var result = await cli.RunAsync("list");

        Assert.Equal(4, result.Exit);
    }

    [Fact]
    public async Task A_fault_in_dflow_itself_exits_70_not_1_which_would_read_as_a_failed_tree()
    {
        var cli = new CliHarness(new FakeHandler(_ => throw new InvalidOperationException("a bug")));

        var result = await cli.RunAsync("submit", _file, "--wait");

        Assert.Equal(70, result.Exit);
        Assert.Contains("internal error: System.InvalidOperationException: a bug", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_exits_4_naming_the_url()
    {
        var cli = new CliHarness(new FakeHandler(_ => FakeHandler.ConnectionReset()));

        var result = await cli.RunAsync("executors", "--url", "http://flow.invalid/api");

        Assert.Equal(4, result.Exit);
        Assert.Contains("cannot reach http://flow.invalid/api", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("status")]
    [InlineData("list", "--status", "exploded")]
    [InlineData("graph", "x", "--format", "png")]
    [InlineData("submit", "/no/such/file.json")]
    [InlineData("status", "x", "--url", "not a url")]
    [InlineData("tasks", "x", "--status", "failed,exploded")]
    [InlineData("tasks")]
    public async Task Bad_usage_exits_2(params string[] args)
    {
        var cli = new CliHarness(new FakeHandler(_ => throw new InvalidOperationException("no request expected")));

        var result = await cli.RunAsync(args);

        Assert.Equal(2, result.Exit);
        Assert.NotEmpty(result.Error);
        Assert.Empty(cli.Server.Requests);
    }

    [Fact]
    public async Task Url_key_and_user_come_from_the_environment_unless_given()
    {
        var server = new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.OK, new TreeListResponse()));
        var variables = new Dictionary<string, string>
        {
            ["DURABLEFLOW_URL"] = "https://env.example/api",
            ["DURABLEFLOW_KEY"] = "env-key",
            ["DURABLEFLOW_USER"] = "tutorial_user",
        };
        var cli = new CliHarness(server, variables: variables);

        await cli.RunAsync("list");
        await cli.RunAsync("list", "--url", "https://flag.example/api", "--key", "flag-key", "--status", "failed");

        Assert.Equal("https://env.example/api/trees?user_id=tutorial_user", server.Requests[0].Uri.ToString());
        Assert.Equal("env-key", server.Requests[0].FunctionKey);
        Assert.Equal("https://flag.example/api/trees?user_id=tutorial_user&status=failed", server.Requests[1].Uri.ToString());
        Assert.Equal("flag-key", server.Requests[1].FunctionKey);
    }

    [Fact]
    public async Task Status_shows_the_summary_with_the_failed_tasks_and_with_tasks_each_task()
    {
        (string, (string, string)[]) state = (TreeStatuses.Failed, [("gpu", TaskStatuses.Failed), ("report", TaskStatuses.Skipped)]);
        var cli = new CliHarness(new FakeHandler(request => request.Uri.Query.Contains("view=summary", StringComparison.Ordinal) || request.Uri.AbsolutePath.EndsWith("/tasks", StringComparison.Ordinal)
            ? TreeRoutes(request, () => state, () => state)
            : FakeHandler.Json(HttpStatusCode.OK, Trees.View("demo-1", TreeStatuses.Failed, ("gpu", TaskStatuses.Failed), ("report", TaskStatuses.Skipped)))));

        var brief = await cli.RunAsync("status", "demo-1");
        var full = await cli.RunAsync("status", "demo-1", "--tasks");

        Assert.Equal(0, brief.Exit);
        Assert.Contains("tree demo-1  failed  2/2 ended", brief.Out, StringComparison.Ordinal);
        Assert.Contains("gpu: unknown resource 'gpu'", brief.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("report", brief.Out, StringComparison.Ordinal);
        Assert.Equal(["/api/trees/demo-1?view=summary", "/api/trees/demo-1/tasks?limit=20&status=failed"], cli.Server.Requests.Take(2).Select(r => r.PathAndQuery));
        Assert.Contains("report", full.Out, StringComparison.Ordinal);
        Assert.Contains("skipped", full.Out, StringComparison.Ordinal);
        Assert.Equal("/api/trees/demo-1", cli.Server.Requests[2].PathAndQuery);
    }

    [Fact]
    public async Task Status_names_the_first_20_failed_tasks_and_counts_the_rest()
    {
        var failed = Enumerable.Range(0, 25).Select(i => ($"f{i:00}", TaskStatuses.Failed)).ToArray();
        var cli = new CliHarness(new FakeHandler(request => request.Uri.AbsolutePath.EndsWith("/tasks", StringComparison.Ordinal)
            // Pages of 15 at most, as a filtered page may be short.
            ? FakeHandler.Json(HttpStatusCode.OK, request.Uri.Query.Contains("continuation", StringComparison.Ordinal)
                ? Trees.Page("big", null, failed[15..])
                : Trees.Page("big", "next", failed[..15]))
            : FakeHandler.Json(HttpStatusCode.OK, Trees.Summary("big", TreeStatuses.Failed, failed))));

        var result = await cli.RunAsync("status", "big");

        Assert.Equal(0, result.Exit);
        Assert.Contains("f19: unknown resource 'gpu'", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("f20:", result.Out, StringComparison.Ordinal);
        Assert.Contains("and 5 more failed: dflow tasks big --status failed", result.Out, StringComparison.Ordinal);
        Assert.Equal(3, cli.Server.Requests.Count);
    }

    [Fact]
    public async Task Status_with_tasks_reads_the_tasks_past_the_first_1000_through_the_pages()
    {
        var tree = Trees.View("t", TreeStatuses.Completed, ("a", TaskStatuses.Completed)) with { TasksContinuation = "k1" };
        var cli = new CliHarness(new FakeHandler(request => FakeHandler.Json(HttpStatusCode.OK, request.Uri.AbsolutePath.EndsWith("/tasks", StringComparison.Ordinal)
            ? Trees.Page("t", null, ("b", TaskStatuses.Completed))
            : tree)));

        var text = await cli.RunAsync("status", "t", "--tasks");
        var json = JsonDocument.Parse((await cli.RunAsync("status", "t", "--tasks", "--json")).Out).RootElement;

        Assert.Equal(0, text.Exit);
        Assert.Contains(" b ", text.Out, StringComparison.Ordinal);
        Assert.Equal("/api/trees/t/tasks?limit=1000&continuation=k1", cli.Server.Requests[1].PathAndQuery);
        Assert.Equal(["a", "b"], json.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.False(json.TryGetProperty("tasks_continuation", out _));
        Assert.False(json.GetProperty("tasks")[0].TryGetProperty("result", out _), "results were not read");
    }

    [Fact]
    public async Task Tasks_prints_one_page_and_the_token_of_the_next()
    {
        var cli = new CliHarness(new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.OK,
            Trees.Page("demo-1", "tok-2", ("gpu", TaskStatuses.Failed), ("disk", TaskStatuses.Failed)))));

        var result = await cli.RunAsync("tasks", "demo-1", "--status", "failed,skipped", "--status", "cancelled", "--limit", "2");

        Assert.Equal(0, result.Exit);
        Assert.Equal("/api/trees/demo-1/tasks?limit=2&status=failed%2Cskipped%2Ccancelled", cli.Server.Requests.Single().PathAndQuery);
        Assert.Contains("gpu", result.Out, StringComparison.Ordinal);
        Assert.Contains("unknown resource 'gpu'", result.Out, StringComparison.Ordinal);
        Assert.Contains("more: --continuation tok-2", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("result", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tasks_all_follows_the_continuations_and_prints_one_document()
    {
        var cli = new CliHarness(new FakeHandler(
            _ => FakeHandler.Json(HttpStatusCode.OK, Trees.Page("t", "p2", ("a", TaskStatuses.Completed))),
            _ => FakeHandler.Json(HttpStatusCode.OK, Trees.Page("t", "p3")),
            _ => FakeHandler.Json(HttpStatusCode.OK, Trees.Page("t", null, ("b", TaskStatuses.Completed)))));

        var result = await cli.RunAsync("tasks", "t", "--all", "--json");

        Assert.Equal(0, result.Exit);
        Assert.Equal(["/api/trees/t/tasks?limit=1000", "/api/trees/t/tasks?limit=1000&continuation=p2", "/api/trees/t/tasks?limit=1000&continuation=p3"],
            cli.Server.Requests.Select(r => r.PathAndQuery));
        var page = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal(["a", "b"], page.GetProperty("tasks").EnumerateArray().Select(t => t.GetProperty("id").GetString()));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("continuation").ValueKind);
        Assert.Equal(1, page.GetProperty("run").GetInt32());
        Assert.False(page.GetProperty("tasks")[0].TryGetProperty("result", out _), "results were not read: no result key, as the API");
    }

    [Fact]
    public async Task Tasks_with_results_asks_for_them_and_shows_them()
    {
        var page = Trees.Page("t", null, ("a", TaskStatuses.Completed));
        page = page with { Tasks = [page.Tasks[0] with { Result = JsonDocument.Parse("""{"cpu_count": 8}""").RootElement.Clone() }] };
        var cli = new CliHarness(new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.OK, page)));

        var text = await cli.RunAsync("tasks", "t", "--results");
        var json = JsonDocument.Parse((await cli.RunAsync("tasks", "t", "--results", "--json")).Out).RootElement;

        Assert.Equal("/api/trees/t/tasks?include=results", cli.Server.Requests[0].PathAndQuery);
        Assert.Contains("{\"cpu_count\":8}", text.Out, StringComparison.Ordinal);
        Assert.Equal(8, json.GetProperty("tasks")[0].GetProperty("result").GetProperty("cpu_count").GetInt32());
    }

    [Fact]
    public async Task The_live_view_names_some_running_tasks_and_counts_the_rest_from_the_summary()
    {
        var running = Enumerable.Range(0, 12).Select(i => ($"r{i:00}", TaskStatuses.InProgress)).ToArray();
        var reads = 0;
        var cli = new CliHarness(new FakeHandler(request => request.Method == HttpMethod.Post
            ? FakeHandler.Json(HttpStatusCode.Accepted, new RerunResponse { TreeId = "w", Status = "pending", Run = 2, Rerun = ["r00"] })
            : request.Uri.AbsolutePath.EndsWith("/tasks", StringComparison.Ordinal)
            ? FakeHandler.Json(HttpStatusCode.OK, Trees.Page("w", "more", running[..8]))
            : FakeHandler.Json(HttpStatusCode.OK, ++reads < 4
                ? Trees.Summary("w", TreeStatuses.InProgress, running)
                : Trees.Summary("w", TreeStatuses.Completed, [.. running.Select(r => (r.Item1, TaskStatuses.Completed))]))));

        var result = await cli.RunAsync("rerun", "w", "--wait");

        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.Contains(lines, l => l.EndsWith("running: r00, r01, r02, r03, r04, r05, r06, r07 and 4 more", StringComparison.Ordinal));
        // The names are read once per change of the summary, not on every poll.
        Assert.Single(cli.Server.Requests, r => r.Uri.AbsolutePath.EndsWith("/tasks", StringComparison.Ordinal));
        Assert.Equal("/api/trees/w/tasks?limit=8&status=in_progress", cli.Server.Requests.Single(r => r.Uri.AbsolutePath.EndsWith("/tasks", StringComparison.Ordinal)).PathAndQuery);
    }

    [Fact]
    public async Task Every_read_prints_json_with_the_contracts_names()
    {
        var tree = Trees.View("demo-1", TreeStatuses.Completed, ("cpu", TaskStatuses.Completed));
        var cli = new CliHarness(new FakeHandler(request => FakeHandler.Json(HttpStatusCode.OK, request.Uri.AbsolutePath switch
        {
            "/api/trees/demo-1" when request.Uri.Query == "?view=summary" => tree with { Tasks = null },
            "/api/trees/demo-1/tasks/cpu" => tree.Tasks![0],
            "/api/trees" => new TreeListResponse { Trees = [new TreeSummary { TreeId = "demo-1", Status = "completed" }], Continuation = "c" },
            "/api/executors" => new ExecutorListResponse { Executors = [new ExecutorView { Name = "system_info_executor" }] },
            _ => throw new InvalidOperationException(request.Uri.ToString()),
        })));

        var status = JsonDocument.Parse((await cli.RunAsync("status", "demo-1", "--json")).Out).RootElement;
        var task = JsonDocument.Parse((await cli.RunAsync("task", "demo-1", "cpu", "--json")).Out).RootElement;
        var list = JsonDocument.Parse((await cli.RunAsync("list", "--json")).Out).RootElement;
        var executors = JsonDocument.Parse((await cli.RunAsync("executors", "--json")).Out).RootElement;

        Assert.Equal("completed", status.GetProperty("status").GetString());
        Assert.Equal(1, status.GetProperty("counts").GetProperty("completed").GetInt32());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("started_at").ValueKind);
        Assert.False(status.TryGetProperty("tasks", out _), "the summary has no tasks");
        Assert.Equal("cpu", task.GetProperty("id").GetString());
        Assert.Equal("c", list.GetProperty("continuation").GetString());
        Assert.Equal("system_info_executor", executors.GetProperty("executors")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Cancel_and_rerun_post_to_their_routes()
    {
        var server = new FakeHandler(request => FakeHandler.Json(HttpStatusCode.Accepted, request.Uri.AbsolutePath.EndsWith("/cancel", StringComparison.Ordinal)
            ? new CancelResponse { TreeId = "demo-1", Status = "in_progress", CancelRequested = true }
            : new RerunResponse { TreeId = "demo-1", Status = "pending", Run = 2, Rerun = ["cpu", "sum"], Carried = 1 }));
        var cli = new CliHarness(server);

        var cancel = await cli.RunAsync("cancel", "demo-1");
        var rerun = await cli.RunAsync("rerun", "demo-1", "--task", "cpu", "--task", "sum", "--expected-run", "1");

        Assert.Equal(0, cancel.Exit);
        Assert.Contains("cancel requested for tree demo-1", cancel.Out, StringComparison.Ordinal);
        Assert.Equal(0, rerun.Exit);
        Assert.Contains("run 2: re-running cpu, sum (1 completed tasks kept)", rerun.Out, StringComparison.Ordinal);
        Assert.Equal("/api/trees/demo-1/rerun", server.Requests[1].Uri.AbsolutePath);
        Assert.Equal("""{"tasks":["cpu","sum"],"expected_run":1}""", server.Requests[1].Body);
    }

    [Fact]
    public async Task Graph_of_a_submitted_tree_colours_tasks_by_status()
    {
        var tree = Trees.View("demo-1", TreeStatuses.Failed, ("gpu", TaskStatuses.Failed), ("report", TaskStatuses.Skipped));
        var cli = new CliHarness(new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.OK, tree)));

        var mermaid = await cli.RunAsync("graph", "demo-1");
        var dot = await cli.RunAsync("graph", "demo-1", "--format", "dot");

        Assert.Equal(0, mermaid.Exit);
        Assert.StartsWith("flowchart LR", mermaid.Out, StringComparison.Ordinal);
        Assert.Contains("t0 --> t1", mermaid.Out, StringComparison.Ordinal);
        Assert.Contains("class t0 failed", mermaid.Out, StringComparison.Ordinal);
        Assert.StartsWith("digraph tree {", dot.Out, StringComparison.Ordinal);
        Assert.Contains("\"gpu\" -> \"report\";", dot.Out, StringComparison.Ordinal);
    }

    public static TheoryData<string> Samples() =>
        [.. Directory.GetFiles(Path.Combine(RepositoryRoot(), "samples"), "*.json").Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task Every_sample_passes_the_offline_validator(string sample)
    {
        var cli = new CliHarness(new FakeHandler(_ => throw new InvalidOperationException("validate needs no server")));

        var result = await cli.RunAsync("validate", Path.Combine(RepositoryRoot(), "samples", sample));

        Assert.Equal(0, result.Exit);
        Assert.Matches(@"^valid: \d+ tasks", result.Out);
    }

    [Fact]
    public async Task Validate_reports_every_problem_with_the_servers_codes_and_exits_2()
    {
        File.WriteAllText(_file, """
            {"tasks": [{"id": "a", "name": "x", "dependencies": ["b"]},
                       {"id": "b", "name": "x", "dependencies": ["a", {"id": "zz", "required": false}]}]}
            """);
        var cli = new CliHarness(new FakeHandler(_ => throw new InvalidOperationException("validate needs no server")));

        var text = await cli.RunAsync("validate", _file);
        var json = await cli.RunAsync("validate", _file, "--json");

        Assert.Equal(2, text.Exit);
        Assert.Contains("invalid: 2 problems", text.Error, StringComparison.Ordinal);
        Assert.Contains("cycle_detected at $.tasks[0].dependencies: dependency cycle: a -> b -> a", text.Error, StringComparison.Ordinal);
        Assert.Equal(2, json.Exit);
        var answer = JsonDocument.Parse(json.Out).RootElement;
        Assert.False(answer.GetProperty("valid").GetBoolean());
        Assert.Equal(["missing_dependency", "cycle_detected"], answer.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("code").GetString()));
        Assert.Equal("zz", answer.GetProperty("errors")[0].GetProperty("related_id").GetString());
    }

    [Fact]
    public async Task Validate_rejects_what_the_api_rejects_when_reading_unknown_fields_and_bad_json()
    {
        var cli = new CliHarness(new FakeHandler(_ => throw new InvalidOperationException("validate needs no server")), input: """{"tasks": [{"id": "a", "name": "x", "dependecies": []}]}""");
        File.WriteAllText(_file, """{"tasks": [""");

        var typo = await cli.RunAsync("validate", "-");
        var broken = await cli.RunAsync("validate", _file);

        Assert.Equal(2, typo.Exit);
        Assert.Contains("invalid_request at $.tasks[0].dependecies", typo.Error, StringComparison.Ordinal);
        Assert.Equal(2, broken.Exit);
        Assert.Contains("invalid_json", broken.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_of_a_file_draws_optional_dependencies_dashed_and_still_draws_a_cycle()
    {
        File.WriteAllText(_file, """
            {"tasks": [{"id": "primary", "name": "x"}, {"id": "fallback", "name": "y", "dependencies": [{"id": "primary", "required": false}]},
                       {"id": "c1", "name": "x", "dependencies": ["c2"]}, {"id": "c2", "name": "x", "dependencies": ["c1"]}]}
            """);
        var cli = new CliHarness(new FakeHandler(_ => throw new InvalidOperationException("a file needs no server")));

        var mermaid = await cli.RunAsync("graph", _file);
        var dot = await cli.RunAsync("graph", _file, "--format", "dot");

        Assert.Equal(0, mermaid.Exit);
        Assert.Contains("t0 -.-> t1", mermaid.Out, StringComparison.Ordinal);
        Assert.Contains("t3 --> t2", mermaid.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("classDef", mermaid.Out, StringComparison.Ordinal);
        Assert.Contains("warning: cycle_detected", mermaid.Error, StringComparison.Ordinal);
        Assert.Contains("\"primary\" -> \"fallback\" [style=dashed];", dot.Out, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Functions.sln")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("Functions.sln not found above " + AppContext.BaseDirectory);
    }
}
