using System.Net;
using System.Text.Json;
using DurableFlow.Client.Tests.Fakes;

namespace DurableFlow.Client.Tests.Client;

public partial class DurableFlowClientTests
{
    private static readonly SubmitResponse Submitted = new()
    {
        TreeId = "demo-1", Status = "pending", TaskCount = 2,
        Links = new TreeLinks { Self = "/api/trees/demo-1", Cancel = "/api/trees/demo-1/cancel" },
    };

    private static (DurableFlowClient Client, FakeHandler Server, InstantTimeProvider Clock) Connect(
        FakeHandler server, Action<DurableFlowClientOptions>? configure = null)
    {
        var clock = new InstantTimeProvider();
        var options = new DurableFlowClientOptions
        {
            BaseAddress = new Uri("https://flow.example/api"),
            TimeProvider = clock,
            Retry = new DurableFlowRetryOptions { AttemptTimeout = TimeSpan.FromMinutes(10) },
        };
        configure?.Invoke(options);
        return (DurableFlowClient.Create(options, server), server, clock);
    }

    [Fact]
    public async Task Submit_posts_snake_case_json_with_the_function_key_and_reads_202_as_created()
    {
        var (client, server, _) = Connect(new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.Accepted, Submitted)),
            o => o.FunctionKey = "secret");

        var answer = await client.SubmitAsync(new TreeSubmission
        {
            TreeId = "demo-1",
            UseDemo = true,
            Tasks = [new TaskSubmission { Id = "cpu", Name = "system_info_executor", ParentId = null, Dependencies = [new("x", Required: false)] }],
        });

        Assert.True(answer.Created);
        Assert.Equal("demo-1", answer.TreeId);
        Assert.Equal(2, answer.TaskCount);
        var request = Assert.Single(server.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("/api/trees", request.PathAndQuery);
        Assert.Equal("secret", request.FunctionKey);
        Assert.StartsWith("application/json", request.ContentType, StringComparison.Ordinal);
        // Nulls are left out so the server applies its defaults; names are the contract's.
        Assert.Equal("""{"tree_id":"demo-1","use_demo":true,"tasks":[{"id":"cpu","name":"system_info_executor","dependencies":[{"id":"x","required":false}]}]}""",
            request.Body);
    }

    [Fact]
    public async Task Submit_reads_200_as_an_identical_repeat()
    {
        var (client, _, _) = Connect(new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.OK, Submitted)));

        var answer = await client.SubmitAsync(new TreeSubmission { TreeId = "demo-1", Tasks = [] });

        Assert.False(answer.Created);
    }

    [Fact]
    public async Task Submit_assigns_a_tree_id_when_absent_and_a_retry_sends_the_same_one()
    {
        var (client, server, _) = Connect(new FakeHandler(
            _ => FakeHandler.Error(HttpStatusCode.ServiceUnavailable, "service_unavailable", "storage unreachable"),
            _ => FakeHandler.Json(HttpStatusCode.Accepted, Submitted)));

        await client.SubmitAsync(new TreeSubmission { Tasks = [new TaskSubmission { Id = "a", Name = "system_info_executor" }] });

        Assert.Equal(2, server.Requests.Count);
        var ids = server.Requests.Select(r => JsonDocument.Parse(r.Body!).RootElement.GetProperty("tree_id").GetString()).ToList();
        Assert.Matches("^[0-9a-f]{32}$", ids[0]);
        Assert.Equal(ids[0], ids[1]);
    }

    [Fact]
    public async Task SubmitJson_sends_the_file_as_written_with_a_tree_id_added_first()
    {
        var (client, server, _) = Connect(new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.Accepted, Submitted)));

        await client.SubmitJsonAsync("""{"user_id":"u","tasks":[{"id":"a","name":"x","dependecies":["b"]}]}""");

        var body = JsonDocument.Parse(server.Requests.Single().Body!).RootElement;
        var names = body.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["tree_id", "user_id", "tasks"], names);
        // A typo stays in, for the server to reject: the client does not second-guess the contract.
        Assert.True(body.GetProperty("tasks")[0].TryGetProperty("dependecies", out _));
    }

    [Fact]
    public async Task SubmitJson_replaces_the_tree_id_when_one_is_given_and_passes_unreadable_json_through()
    {
        var (client, server, _) = Connect(new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.Accepted, Submitted)));

        await client.SubmitJsonAsync("""{"tree_id":"old","tasks":[]}""", treeId: "new");
        await client.SubmitJsonAsync("""{"tasks": [""");

        Assert.Equal("""{"tree_id":"new","tasks":[]}""", server.Requests[0].Body);
        Assert.Equal("""{"tasks": [""", server.Requests[1].Body);
    }

    [Fact]
    public async Task GetTree_reads_every_field_and_sends_view_and_user_id()
    {
        var tree = Trees.View("demo-1", TreeStatuses.InProgress, ("cpu", TaskStatuses.Completed), ("sum", TaskStatuses.InProgress));
        var (client, server, _) = Connect(new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.OK, tree)), o => o.UserId = "tutorial_user");

        var read = await client.GetTreeAsync("demo-1", nested: true);

        Assert.Equal("/api/trees/demo-1?view=nested&user_id=tutorial_user", server.Requests.Single().PathAndQuery);
        Assert.Equal(TreeStatuses.InProgress, read.Status);
        Assert.Equal(1, read.Counts.Completed);
        Assert.Equal(1, read.Counts.InProgress);
        Assert.False(read.IsFinished);
        Assert.Equal(["cpu", "sum"], read.Tasks!.Select(t => t.Id));
        Assert.Equal(new DependencyView("cpu", true), read.Tasks![1].Dependencies.Single());
        Assert.Equal("/api/trees/demo-1/tasks", read.Links.Tasks);
        Assert.Null(read.TasksContinuation);
    }

    [Fact]
    public async Task Every_route_goes_to_its_path_with_its_method()
    {
        var answers = new Dictionary<string, object>
        {
            ["/api/trees/a%2Fb/tasks/t%201"] = new TaskView { Id = "t 1", Status = "completed" },
            ["/api/trees?user_id=u&status=failed&limit=20&continuation=c%2B1"] = new TreeListResponse { Trees = [new TreeSummary { TreeId = "x" }] },
            ["/api/trees/x/cancel"] = new CancelResponse { TreeId = "x", Status = "in_progress", CancelRequested = true },
            ["/api/trees/x/rerun"] = new RerunResponse { TreeId = "x", Run = 2, Rerun = ["a"], Carried = 1 },
            ["/api/trees/x/terminate"] = new TerminateResponse { TreeId = "x", Status = "failed", Terminated = true, Error = "terminated: stuck" },
            ["/api/executors"] = new ExecutorListResponse { Executors = [new ExecutorView { Name = "system_info_executor" }] },
            ["/api/health"] = new HealthResponse { Status = "healthy", Storage = new HealthStorage { Reachable = true } },
        };
        var (client, server, _) = Connect(new FakeHandler(r => FakeHandler.Json(
            r.Method == HttpMethod.Post && r.PathAndQuery.EndsWith("cancel", StringComparison.Ordinal) || r.PathAndQuery.EndsWith("rerun", StringComparison.Ordinal) || r.PathAndQuery.EndsWith("terminate", StringComparison.Ordinal)
                ? HttpStatusCode.Accepted : HttpStatusCode.OK,
            answers[r.PathAndQuery])));

        Assert.Equal("t 1", (await client.GetTaskAsync("a/b", "t 1")).Id);
        Assert.Equal("x", (await client.ListTreesAsync(new TreeListQuery { UserId = "u", Status = "failed", Limit = 20, Continuation = "c+1" })).Trees.Single().TreeId);
        Assert.True((await client.CancelAsync("x")).CancelRequested);
        Assert.Equal(2, (await client.RerunAsync("x", new RerunRequest { Tasks = ["a"], ExpectedRun = 1 })).Run);
        Assert.Equal("system_info_executor", (await client.ListExecutorsAsync()).Executors.Single().Name);
        Assert.True((await client.GetHealthAsync()).Storage.Reachable);
        Assert.Equal("terminated: stuck", (await client.TerminateAsync("x", "stuck")).Error);

        Assert.Equal([HttpMethod.Get, HttpMethod.Get, HttpMethod.Post, HttpMethod.Post, HttpMethod.Get, HttpMethod.Get, HttpMethod.Post], server.Requests.Select(r => r.Method));
        Assert.Null(server.Requests[2].Body);
        Assert.Equal("""{"tasks":["a"],"expected_run":1}""", server.Requests[3].Body);
        Assert.Equal("""{"reason":"stuck"}""", server.Requests[6].Body);
    }

    [Fact]
    public async Task ListAllTrees_follows_continuation_tokens_to_the_last_page()
    {
        var (client, server, _) = Connect(new FakeHandler(
            _ => FakeHandler.Json(HttpStatusCode.OK, new TreeListResponse { Trees = [new() { TreeId = "a" }, new() { TreeId = "b" }], Continuation = "next" }),
            _ => FakeHandler.Json(HttpStatusCode.OK, new TreeListResponse { Trees = [new() { TreeId = "c" }] })));

        var ids = new List<string>();
        await foreach (var tree in client.ListAllTreesAsync(new TreeListQuery { Limit = 2 }))
        {
            ids.Add(tree.TreeId);
        }

        Assert.Equal(["a", "b", "c"], ids);
        Assert.Equal("/api/trees?limit=2&continuation=next", server.Requests[1].PathAndQuery);
    }

    [Fact]
    public async Task A_bearer_token_is_sent_as_authorization()
    {
        var (client, server, _) = Connect(new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.OK, new ExecutorListResponse())),
            o => o.BearerToken = "tok");

        await client.ListExecutorsAsync();

        Assert.Equal("Bearer tok", server.Requests.Single().Authorization);
        Assert.Null(server.Requests.Single().FunctionKey);
    }

    [Fact]
    public async Task An_api_error_throws_with_its_code_message_details_and_status_and_is_not_retried()
    {
        var detail = new ApiErrorDetail { Code = "cycle_detected", Message = "a -> b -> a", Path = "$.tasks[0].dependencies", TaskId = "a", Cycle = ["a", "b", "a"] };
        var (client, server, _) = Connect(new FakeHandler(_ => FakeHandler.Error(HttpStatusCode.BadRequest, "cycle_detected", "a cycle", detail)));

        var error = await Assert.ThrowsAsync<DurableFlowApiException>(() => client.SubmitJsonAsync("""{"tasks":[]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("cycle_detected", error.Code);
        Assert.Equal("a cycle", error.ApiMessage);
        Assert.Equal(["a", "b", "a"], Assert.Single(error.Details).Cycle);
        Assert.Single(server.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "not_found")]
    [InlineData(HttpStatusCode.Conflict, "not_cancellable")]
    [InlineData(HttpStatusCode.InternalServerError, "internal_error")]
    public async Task Errors_that_a_repeat_would_meet_again_are_not_retried(HttpStatusCode status, string code)
    {
        var (client, server, _) = Connect(new FakeHandler(_ => FakeHandler.Error(status, code, "no")));

        var error = await Assert.ThrowsAsync<DurableFlowApiException>(() => client.CancelAsync("x"));

        Assert.Equal(code, error.Code);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_body_that_is_not_the_apis_error_keeps_the_status_under_unexpected_response()
    {
        var (client, _, _) = Connect(new FakeHandler(_ => new HttpResponseMessage(HttpStatusCode.Forbidden) { Content = new StringContent("<html>denied</html>") }));

        var error = await Assert.ThrowsAsync<DurableFlowApiException>(() => client.ListExecutorsAsync());

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal(ApiErrorCodes.UnexpectedResponse, error.Code);
        Assert.Contains("denied", error.ApiMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_503_is_retried_until_it_passes()
    {
        var (client, server, _) = Connect(new FakeHandler(
            _ => FakeHandler.Error(HttpStatusCode.ServiceUnavailable, "service_unavailable", "later"),
            _ => FakeHandler.Error(HttpStatusCode.ServiceUnavailable, "service_unavailable", "later"),
            _ => FakeHandler.Json(HttpStatusCode.OK, new ExecutorListResponse())));

        await client.ListExecutorsAsync();

        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_429_waits_what_its_Retry_After_says()
    {
        var (client, server, clock) = Connect(new FakeHandler(
            _ =>
            {
                var busy = FakeHandler.Error(HttpStatusCode.TooManyRequests, "too_many_requests", "slow down");
                busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
                return busy;
            },
            _ => FakeHandler.Json(HttpStatusCode.OK, new ExecutorListResponse())));

        await client.ListExecutorsAsync();

        Assert.Equal(2, server.Requests.Count);
        Assert.Contains(TimeSpan.FromSeconds(7), clock.Delays);
    }

    [Fact]
    public async Task A_connection_reset_is_retried_and_a_submission_keeps_its_tree_id()
    {
        var (client, server, _) = Connect(new FakeHandler(
            _ => FakeHandler.ConnectionReset(),
            _ => FakeHandler.Json(HttpStatusCode.Accepted, Submitted)));

        var answer = await client.SubmitAsync(new TreeSubmission { TreeId = "demo-1", Tasks = [] });

        Assert.True(answer.Created);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(server.Requests[0].Body, server.Requests[1].Body);
    }

    [Fact]
    public async Task When_retries_run_out_the_last_answer_is_thrown()
    {
        var (client, server, _) = Connect(new FakeHandler(_ => FakeHandler.Error(HttpStatusCode.ServiceUnavailable, "service_unavailable", "down")),
            o => o.Retry.MaxRetryAttempts = 2);

        var error = await Assert.ThrowsAsync<DurableFlowApiException>(() => client.GetTreeAsync("x"));

        Assert.Equal("service_unavailable", error.Code);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task When_the_network_stays_down_the_HttpRequestException_reaches_the_caller()
    {
        var (client, server, _) = Connect(new FakeHandler(_ => FakeHandler.ConnectionReset()), o => o.Retry.MaxRetryAttempts = 1);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetTreeAsync("x"));

        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task An_unhealthy_host_is_returned_not_thrown()
    {
        var (client, _, _) = Connect(new FakeHandler(_ => FakeHandler.Json(HttpStatusCode.ServiceUnavailable,
            new HealthResponse { Status = "unhealthy", Storage = new HealthStorage { Reachable = false, Error = "refused" } })),
            o => o.Retry.MaxRetryAttempts = 0);

        var health = await client.GetHealthAsync();

        Assert.Equal("unhealthy", health.Status);
        Assert.Equal("refused", health.Storage.Error);
    }

    [Fact]
    public async Task Wait_polls_the_summary_until_the_tree_ends_and_reports_every_read()
    {
        var (client, server, clock) = Connect(new FakeHandler(
            _ => FakeHandler.Json(HttpStatusCode.OK, Trees.Summary("t", TreeStatuses.Pending, ("a", TaskStatuses.Pending))),
            _ => FakeHandler.Json(HttpStatusCode.OK, Trees.Summary("t", TreeStatuses.InProgress, ("a", TaskStatuses.InProgress))),
            _ => FakeHandler.Json(HttpStatusCode.OK, Trees.Summary("t", TreeStatuses.InProgress, ("a", TaskStatuses.InProgress))),
            _ => FakeHandler.Json(HttpStatusCode.OK, Trees.Summary("t", TreeStatuses.InProgress, ("a", TaskStatuses.InProgress))),
            _ => FakeHandler.Json(HttpStatusCode.OK, Trees.Summary("t", TreeStatuses.Failed, ("a", TaskStatuses.Failed)))));
        var seen = new List<string>();

        var tree = await client.WaitAsync("t", new WaitOptions { InitialInterval = TimeSpan.FromSeconds(1), MaxInterval = TimeSpan.FromSeconds(2), BackoffFactor = 1.5 },
            new SyncProgress(v => seen.Add(v.Status)));

        Assert.Equal(TreeStatuses.Failed, tree.Status);
        Assert.Equal(5, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal("/api/trees/t?view=summary", r.PathAndQuery));
        Assert.Null(tree.Tasks);
        Assert.Equal(["pending", "in_progress", "in_progress", "in_progress", "failed"], seen);
        // Fast after each change, backing off (capped) while nothing changes.
        Assert.Equal([1, 1, 1.5, 2], clock.Delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public async Task Wait_stops_when_its_token_is_cancelled()
    {
        using var stop = new CancellationTokenSource();
        var (client, _, _) = Connect(new FakeHandler(_ =>
        {
            stop.Cancel();
            return FakeHandler.Json(HttpStatusCode.OK, Trees.View("t", TreeStatuses.InProgress, ("a", TaskStatuses.InProgress)));
        }));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.WaitAsync("t", cancellationToken: stop.Token));
    }

    private sealed class SyncProgress(Action<TreeView> report) : IProgress<TreeView>
    {
        public void Report(TreeView value) => report(value);
    }
}
