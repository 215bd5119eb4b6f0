using System.Net;
using DurableFlow.E2E.Support;

namespace DurableFlow.E2E;

/// <summary>No wedged tree, bounded data flow: values the engine cannot honour are refused, a stuck tree can be
/// terminated (and rerun), and a fan-in whose dependency results are too large fails clearly instead of
/// breaking the host-to-worker channel.</summary>
public sealed class HardeningTests : E2ETest
{
    [E2EFact]
    public async Task A_retry_interval_that_rounds_to_nothing_is_refused_and_nothing_is_stored()
    {
        var treeId = Trees.NewId("tiny-retry");
        var body = new JsonObject
        {
            ["tree_id"] = treeId,
            ["tasks"] = new JsonArray(Trees.SystemInfo("a").Set("retry", new JsonObject { ["max_attempts"] = 3, ["first_retry_interval_seconds"] = 1e-8 })),
        }.ToJsonString();

        var answer = await Api.SendAsync(HttpMethod.Post, "api/trees", body, "application/json");

        Assert.True(answer.Status == HttpStatusCode.BadRequest, answer.ToString());
        Assert.Equal("invalid_field", answer.ErrorCode);
        Assert.Equal("$.tasks[0].retry.first_retry_interval_seconds", answer.Body!["error"]!["details"]![0]!["path"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetTreeAsync(treeId)).Status);
    }

    [LocalE2EFact]
    public async Task Terminate_ends_a_running_tree_failed_with_the_reason_and_it_can_be_rerun()
    {
        var prefix = Trees.NewId("terminate");
        var tree = Trees.Tree(Trees.NewUser(),
            Server.Task("stuck", $"{prefix}/stuck", delayMs: 6_000),
            Server.Task("next", $"{prefix}/next").After("stuck"));
        var treeId = await Api.StartAsync(tree);
        await Server.WaitForCallsAsync($"{prefix}/stuck", 1, TimeSpan.FromSeconds(30));

        var terminated = await Api.PostAsync($"api/trees/{treeId}/terminate", new JsonObject { ["reason"] = "executor hangs" });

        Assert.True(terminated.Status == HttpStatusCode.Accepted, terminated.ToString());
        Assert.Equal(("failed", "terminated: executor hangs"), (terminated.Body!["status"]!.GetValue<string>(), terminated.Body!["error"]!.GetValue<string>()));
        var read = (await Api.GetTreeAsync(treeId)).Body!.AsObject();
        Assert.Equal("failed", read.Status());
        Assert.Equal("terminated: executor hangs", read["error"]!.GetValue<string>());
        Assert.Equal("failed", read.Task("stuck").Status());
        Assert.Equal("failed", read.Task("next").Status());
        Assert.Contains("terminated: executor hangs", read.Task("next")["error"]!.GetValue<string>(), StringComparison.Ordinal);
        var listed = (await Api.GetAsync($"api/trees?user_id={tree["user_id"]!.GetValue<string>()}")).Body!["trees"]![0]!;
        Assert.Equal(("failed", "terminated: executor hangs"), (listed["status"]!.GetValue<string>(), listed["error"]!.GetValue<string>()));

        var again = await Api.PostAsync($"api/trees/{treeId}/terminate");
        Assert.Equal((HttpStatusCode.Conflict, "not_cancellable"), (again.Status, again.ErrorCode));
        var cancel = await Api.PostAsync($"api/trees/{treeId}/cancel");
        Assert.Equal((HttpStatusCode.Conflict, "not_cancellable"), (cancel.Status, cancel.ErrorCode));

        var rerun = await Api.PostAsync($"api/trees/{treeId}/rerun");
        Assert.True(rerun.Status == HttpStatusCode.Accepted, rerun.ToString());
        var end = await Api.WaitForEndAsync(treeId);
        Assert.Equal("completed", end.Status());
        Assert.Null(end["error"]);
        Assert.Equal(1, Server.Calls($"{prefix}/next"));
    }

    [LocalE2EFact]
    public async Task A_fan_in_whose_dependency_results_exceed_the_limit_fails_clearly_and_the_host_keeps_working()
    {
        // Five results of 240 KB (each under Tasks:MaxResultBytes, 256 KiB) are 1.2 MB together, over the
        // default Tasks:MaxDependencyResultsBytes of 1 MiB.
        var prefix = Trees.NewId("fanin");
        var parts = Enumerable.Range(1, 5).Select(i => Server.Task($"part{i}", $"{prefix}/part{i}", padBytes: 240_000)).ToArray();
        var sum = new JsonObject { ["id"] = "sum", ["name"] = "aggregate_results_executor" }.After([.. parts.Select(p => p["id"]!.GetValue<string>())]);
        var tree = Trees.Tree(Trees.NewUser(), [.. parts, sum]);

        var read = await Api.WaitForEndAsync(await Api.StartAsync(tree), TimeSpan.FromSeconds(120));

        Assert.Equal("failed", read.Status());
        Assert.All(Enumerable.Range(1, 5), i => Assert.Equal("completed", read.Task($"part{i}").Status()));
        var error = read.Task("sum")["error"]!.GetValue<string>();
        Assert.Equal("failed", read.Task("sum").Status());
        Assert.Contains("over the limit of 1,048,576 bytes (Tasks:MaxDependencyResultsBytes)", error, StringComparison.Ordinal);
        // (attempts reads 1: the status counts a task's release as its first attempt, although nothing ran.)

        // The task hub still works: a small tree after it completes.
        var after = await Api.WaitForEndAsync(await Api.StartAsync(Trees.Tree(Trees.NewUser(), Trees.SystemInfo("a"))));
        Assert.Equal("completed", after.Status());
    }
}
