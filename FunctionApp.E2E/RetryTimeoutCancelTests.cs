using System.Net;
using DurableFlow.E2E.Support;

namespace DurableFlow.E2E;

/// <summary>Retries, per-attempt timeouts and cancel, counted from the executor's side.</summary>
public sealed class RetryTimeoutCancelTests : E2ETest
{
    private static JsonObject Retry(int maxAttempts, double firstIntervalSeconds = 1) => new()
    {
        ["max_attempts"] = maxAttempts,
        ["first_retry_interval_seconds"] = firstIntervalSeconds,
        ["backoff_coefficient"] = 2.0,
    };

    [LocalE2EFact]
    public async Task A_flaky_task_is_retried_with_backoff_until_it_succeeds()
    {
        var key = Trees.NewId("flaky");
        var tree = Trees.Tree(Trees.NewUser(), Server.Task("flaky", key, failTimes: 2).Set("retry", Retry(3, firstIntervalSeconds: 2)));

        var read = await Api.WaitForEndAsync(await Api.StartAsync(tree));

        var task = read.Task("flaky");
        Assert.Equal("completed", task.Status());
        Assert.Equal(3, task["attempts"]!.GetValue<int>());
        Assert.Equal(3, task["result"]!["json"]!["call"]!.GetValue<int>());
        var calls = Server.CallTimes(key);
        Assert.Equal(3, calls.Count);
        // Backoff 2 s then 4 s, measured where the calls arrive. Durable timers on Azure Storage are queue
        // messages whose visibility delay is whole seconds, so a timer may fire up to 1 s early.
        var first = calls[1] - calls[0];
        var second = calls[2] - calls[1];
        Assert.True(first >= TimeSpan.FromSeconds(1), $"first retry after {first.TotalSeconds} s");
        Assert.True(second >= TimeSpan.FromSeconds(3), $"second retry after {second.TotalSeconds} s");
        Assert.True(second > first, $"no backoff: {first.TotalSeconds} s then {second.TotalSeconds} s");
    }

    [LocalE2EFact]
    public async Task A_task_that_keeps_failing_stops_at_max_attempts_and_fails_the_tree()
    {
        var key = Trees.NewId("broken");
        var tree = Trees.Tree(Trees.NewUser(),
            Server.Task("broken", key, failTimes: 100).Set("retry", Retry(2)),
            Trees.SystemInfo("after").After("broken"));

        var read = await Api.WaitForEndAsync(await Api.StartAsync(tree));

        Assert.Equal("failed", read.Status());
        Assert.Equal("failed", read.Task("broken").Status());
        Assert.Equal(2, read.Task("broken")["attempts"]!.GetValue<int>());
        Assert.Equal("skipped", read.Task("after").Status());
        Assert.Equal(2, Server.Calls(key));
    }

    [LocalE2EFact]
    public async Task An_attempt_over_its_timeout_fails_without_waiting_for_the_executor()
    {
        var key = Trees.NewId("slow");
        var tree = Trees.Tree(Trees.NewUser(), Server.Task("slow", key, delayMs: 20_000).Set("timeout_seconds", 2));
        var submitted = DateTimeOffset.UtcNow;

        var read = await Api.WaitForEndAsync(await Api.StartAsync(tree));

        Assert.Equal("failed", read.Status());
        Assert.Contains("timed out after 2 s", read.Task("slow")["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(DateTimeOffset.UtcNow - submitted < TimeSpan.FromSeconds(15), "the tree waited for the slow executor");
        Assert.Equal(1, Server.Calls(key));
    }

    [LocalE2EFact]
    public async Task Cancel_stops_new_dispatch_lets_the_running_task_finish_and_ends_the_tree_cancelled()
    {
        var prefix = Trees.NewId("cancel");
        var tree = Trees.Tree(Trees.NewUser(),
            Server.Task("running", $"{prefix}/running", delayMs: 4000),
            Server.Task("next", $"{prefix}/next").After("running"),
            Server.Task("last", $"{prefix}/last").After("next"));
        var treeId = await Api.StartAsync(tree);
        await Server.WaitForCallsAsync($"{prefix}/running", 1, TimeSpan.FromSeconds(30));

        var cancel = await Api.PostAsync($"api/trees/{treeId}/cancel");
        Assert.Equal(HttpStatusCode.Accepted, cancel.Status);
        Assert.True(cancel.Body!["cancel_requested"]!.GetValue<bool>());

        var read = await Api.WaitForEndAsync(treeId);
        Assert.Equal("cancelled", read.Status());
        Assert.Equal("completed", read.Task("running").Status());
        Assert.Equal("cancelled", read.Task("next").Status());
        Assert.Equal("cancelled", read.Task("last").Status());
        Assert.Equal(0, Server.Calls($"{prefix}/next"));
        Assert.Equal(0, Server.Calls($"{prefix}/last"));

        var again = await Api.PostAsync($"api/trees/{treeId}/cancel");
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("not_cancellable", again.ErrorCode);
    }

    [LocalE2EFact]
    public async Task A_task_that_runs_longer_than_the_queue_visibility_timeout_runs_exactly_once()
    {
        // host.json sets the work-item visibility timeout to 30 s; the host renews the message while the
        // activity runs, so a 70 s task must neither be handed to a second execution nor lost.
        var key = Trees.NewId("long");
        var tree = Trees.Tree(Trees.NewUser(), Server.Task("long", key, delayMs: 70_000, timeoutSeconds: 150));

        var read = await Api.WaitForEndAsync(await Api.StartAsync(tree), TimeSpan.FromSeconds(150));

        Assert.Equal("completed", read.Status());
        Assert.Equal(1, read.Task("long")["attempts"]!.GetValue<int>());
        Assert.Equal(1, Server.Calls(key));
    }
}
