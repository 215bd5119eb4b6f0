using DurableFlow.E2E.Support;

namespace DurableFlow.E2E;

/// <summary>Optional dependencies, the skip cascade and priority order, observed on the host.</summary>
public sealed class DependencySemanticsTests : E2ETest
{
    [E2EFact]
    public async Task A_failed_dependency_skips_its_required_dependents_in_cascade_and_the_tree_fails()
    {
        var treeId = await Api.StartAsync(Trees.Sample("failure-cascade.json", Trees.NewUser()));

        var tree = await Api.WaitForEndAsync(treeId);

        Assert.Equal("failed", tree.Status());
        Assert.Equal("failed", tree.Task("gpu").Status());
        Assert.Contains("gpu", tree.Task("gpu")["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("skipped", tree.Task("report").Status());
        Assert.Contains("gpu", tree.Task("report")["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("skipped", tree.Task("publish").Status());
        Assert.Contains("report", tree.Task("publish")["error"]!.GetValue<string>(), StringComparison.Ordinal);
        // An optional dependency is waited for whatever its outcome: the fallback still runs.
        Assert.Equal("completed", tree.Task("fallback").Status());
        Assert.Null(tree.Task("report")["started_at"]);
        Assert.Equal(0, tree["counts"]!["pending"]!.GetValue<int>());
    }

    [LocalE2EFact]
    public async Task When_the_primary_fails_the_fallback_and_final_run_and_the_tree_completes()
    {
        var key = Trees.NewId("primary");
        var tree = Trees.Tree(
            Trees.NewUser(),
            Server.Task("primary", key, failTimes: 1),
            Trees.SystemInfo("fallback", "memory").AfterOptional("primary"),
            Trees.SystemInfo("final", "disk").AfterOptional("primary", "fallback"));

        var read = await Api.WaitForEndAsync(await Api.StartAsync(tree));

        Assert.Equal("failed", read.Task("primary").Status());
        Assert.Contains("HTTP 500", read.Task("primary")["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("completed", read.Task("fallback").Status());
        Assert.Equal("completed", read.Task("final").Status());
        // Only leaves decide the tree's outcome, and the leaf completed.
        Assert.Equal("completed", read.Status());
        TreeRead.AssertDependencyOrder(read);
        Assert.Equal(1, Server.Calls(key));
    }

    [LocalE2EFact]
    public async Task Under_max_parallelism_one_the_most_urgent_ready_task_runs_first()
    {
        var prefix = Trees.NewId("prio");
        int[] priorities = [3, 0, 4, 1, 2, 0];
        var tasks = priorities.Select((p, i) => Server.Task($"t{i}", $"{prefix}/t{i}", delayMs: 200).Set("priority", p)).ToArray();
        var tree = Trees.Tree(Trees.NewUser(), tasks).Set("max_parallelism", 1);

        var read = await Api.WaitForEndAsync(await Api.StartAsync(tree));

        Assert.Equal("completed", read.Status());
        // Priority first, then position in the submission (t1 before t5, both priority 0).
        string[] expected = ["t1", "t5", "t3", "t4", "t0", "t2"];
        var byExecution = Enumerable.Range(0, priorities.Length)
            .OrderBy(i => Server.CallTimes($"{prefix}/t{i}").Single())
            .Select(i => $"t{i}")
            .ToArray();
        Assert.Equal(expected, byExecution);
        var byStart = read.Tasks().OrderBy(t => t.Time("started_at")).Select(t => t["id"]!.GetValue<string>()).ToArray();
        Assert.Equal(expected, byStart);
        // Never two at once: each started after the previous one ended.
        var ordered = expected.Select(read.Task).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.True(ordered[i].Time("started_at") >= ordered[i - 1].Time("completed_at"));
        }
    }
}
