using System.Net;
using DurableFlow.E2E.Support;

namespace DurableFlow.E2E;

/// <summary>Rerun of an ended tree: only what did not complete runs again, completed results are carried.</summary>
public sealed class RerunTests : E2ETest
{
    [LocalE2EFact]
    public async Task A_rerun_after_a_failure_runs_only_the_failed_part_and_carries_completed_results()
    {
        var prefix = Trees.NewId("rerun");
        var tree = Trees.Tree(Trees.NewUser(),
            Server.Task("up", $"{prefix}/up"),
            Server.Task("flaky", $"{prefix}/flaky", failTimes: 1).After("up"),
            new JsonObject { ["id"] = "sum", ["name"] = "aggregate_results_executor" }.After("up", "flaky"));
        var treeId = await Api.StartAsync(tree);
        var first = await Api.WaitForEndAsync(treeId);
        Assert.Equal("failed", first.Status());
        Assert.Equal("skipped", first.Task("sum").Status());

        var rerun = await Api.PostAsync($"api/trees/{treeId}/rerun", new JsonObject { ["expected_run"] = 1 });

        Assert.Equal(HttpStatusCode.Accepted, rerun.Status);
        Assert.Equal(2, rerun.Body!["run"]!.GetValue<int>());
        Assert.Equal(["flaky", "sum"], rerun.Body!["rerun"]!.AsArray().Select(t => t!.GetValue<string>()).Order().ToArray());
        var second = await Api.WaitForEndAsync(treeId);
        Assert.Equal("completed", second.Status());
        Assert.Equal(2, second["run"]!.GetValue<int>());
        Assert.Equal(2, second["runs"]!.AsArray().Count);
        // up completed in run 1 and was not executed again; its result reached sum through the carry.
        Assert.Equal(1, Server.Calls($"{prefix}/up"));
        Assert.Equal(2, Server.Calls($"{prefix}/flaky"));
        Assert.True(JsonNode.DeepEquals(first.Task("up")["result"], second.Task("sum")["result"]!["up"]));
        Assert.Equal(2, second.Task("sum")["result"]!["flaky"]!["json"]!["call"]!.GetValue<int>());
        Assert.Equal(2, second.Task("flaky")["attempts"]!.GetValue<int>());

        var nothing = await Api.PostAsync($"api/trees/{treeId}/rerun");
        Assert.Equal(HttpStatusCode.Conflict, nothing.Status);
        Assert.Equal("nothing_to_rerun", nothing.ErrorCode);
        var stale = await Api.PostAsync($"api/trees/{treeId}/rerun", new JsonObject { ["tasks"] = new JsonArray("up"), ["expected_run"] = 1 });
        Assert.Equal(HttpStatusCode.Conflict, stale.Status);
        Assert.Equal("run_mismatch", stale.ErrorCode);
    }

    [LocalE2EFact]
    public async Task A_running_tree_cannot_be_rerun_and_unknown_tasks_are_named()
    {
        var prefix = Trees.NewId("busy");
        var treeId = await Api.StartAsync(Trees.Tree(Trees.NewUser(), Server.Task("slow", $"{prefix}/slow", delayMs: 3000)));
        await Server.WaitForCallsAsync($"{prefix}/slow", 1, TimeSpan.FromSeconds(30));

        var running = await Api.PostAsync($"api/trees/{treeId}/rerun");
        Assert.Equal(HttpStatusCode.Conflict, running.Status);
        Assert.Equal("tree_running", running.ErrorCode);

        await Api.WaitForEndAsync(treeId);
        var unknown = await Api.PostAsync($"api/trees/{treeId}/rerun", new JsonObject { ["tasks"] = new JsonArray("nope") });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal("unknown_task", unknown.ErrorCode);
    }
}
