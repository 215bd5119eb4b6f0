using System.Text.Json;
using DurableFlow.Graph;
using DurableFlow.Orchestration;
using DurableFlow.Contracts;

namespace DurableFlow.Tests.Orchestration;

/// <summary>
/// The production orchestrator, task activity and runner on the in-process Durable Task engine: real
/// scheduling, timers, external events and replay. Fan-outs stay small (the host polls slowly past 10
/// work items in flight).
/// </summary>
public sealed class InProcessEngineTests(InProcessEngine engine) : IClassFixture<InProcessEngine>
{
    private static TaskDefinition W(string id, int priority = 1, int ms = 0, params TaskDependency[] dependencies) =>
        new(id, "work_executor", JsonSerializer.SerializeToElement(new { ms }), priority, Dependencies: dependencies);

    private static TaskDependency Req(string id) => new(id);

    private static TaskDependency Opt(string id) => new(id, false);

    private static TaskTree Tree(params TaskDefinition[] tasks) => new(Guid.NewGuid().ToString("N"), "tester", 0, false, tasks);

    private static void AssertStatuses(DurableFlow.Contracts.TreeStatusStateV1 state, params (string Id, TaskRunStatus Status)[] expected)
    {
        foreach (var (id, status) in expected)
        {
            Assert.Equal(status, state.Tasks.Single(t => t.Id == id).Status);
        }
    }

    [Fact]
    public async Task Seed_sequential_and_pipeline_run_in_dependency_order()
    {
        var tree = Tree(W("fetch", 1), W("process", 2, 0, Req("fetch")), W("save", 3, 0, Req("process")));
        var (outcome, state) = await engine.RunAsync(tree);
        Assert.Equal(TreeStatus.Completed, outcome.Status);
        Assert.Equal(["fetch", "process", "save"], engine.Executors.StartOrder(tree.TreeId!));
        AssertStatuses(state, ("fetch", TaskRunStatus.Completed), ("process", TaskRunStatus.Completed), ("save", TaskRunStatus.Completed));
        var save = state.Tasks.Single(t => t.Id == "save");
        Assert.Equal(["process"], save.Result!.Value.GetProperty("saw").EnumerateArray().Select(e => e.GetString()));
        Assert.NotNull(save.StartedAt);
        Assert.NotNull(save.CompletedAt);
        Assert.Equal(1, save.Attempts);
    }

    [Fact]
    public async Task Seed_fan_in_runs_three_in_parallel_then_the_aggregate()
    {
        var tree = Tree(W("cpu", 1, 1_000), W("memory", 1, 1_000), W("disk", 1, 1_000), W("aggregate", 2, 0, Req("cpu"), Req("memory"), Req("disk")));
        var (outcome, state) = await engine.RunAsync(tree);
        Assert.Equal(TreeStatus.Completed, outcome.Status);
        var starts = engine.Executors.Starts.Where(s => s.TreeId == tree.TreeId).ToDictionary(s => s.TaskId, s => s.Start);
        // Work overlapped (1 s each): parallel, not serial. The in-process host runs at most as many
        // activities at once as there are cores (2 here), so the third may wait for a free worker; the
        // orchestrator's dispatch of all three in one step is asserted against the mocked context.
        var first = new[] { starts["cpu"], starts["memory"], starts["disk"] }.Order().ToArray();
        Assert.True((first[1] - first[0]).TotalMilliseconds < 1_000);
        Assert.True(starts["aggregate"] > first.Max().AddMilliseconds(990));
        Assert.Equal("aggregate", engine.Executors.StartOrder(tree.TreeId!)[^1]);
        AssertStatuses(state, ("aggregate", TaskRunStatus.Completed));
    }

    [Fact]
    public async Task Seed_optional_fallback_completes_after_the_primary_fails()
    {
        var primary = new TaskDefinition("primary", "work_executor", JsonSerializer.SerializeToElement(new { fail = true }));
        var tree = Tree(primary, W("fallback", 2, 0, Opt("primary")), W("final", 3, 0, Opt("primary"), Opt("fallback")));
        var (outcome, state) = await engine.RunAsync(tree);
        Assert.Equal(TreeStatus.Completed, outcome.Status);
        Assert.Equal(["primary", "fallback", "final"], engine.Executors.StartOrder(tree.TreeId!));
        AssertStatuses(state, ("primary", TaskRunStatus.Failed), ("fallback", TaskRunStatus.Completed), ("final", TaskRunStatus.Completed));
        Assert.Equal("primary failed on attempt 1", state.Tasks[0].Error);
    }

    [Fact]
    public async Task Seed_complex_workflow_does_not_wait_level_by_level()
    {
        var tree = Tree(W("fetch1", 1, 0), W("fetch2", 1, 800), W("process1", 2, 0, Req("fetch1")), W("process2", 2, 0, Req("fetch2")), W("final", 3, 0, Req("process1"), Req("process2")));
        var (outcome, _) = await engine.RunAsync(tree);
        Assert.Equal(TreeStatus.Completed, outcome.Status);
        var starts = engine.Executors.Starts.Where(s => s.TreeId == tree.TreeId).ToDictionary(s => s.TaskId, s => s.Start);
        Assert.True(starts["process1"] < starts["fetch2"].AddMilliseconds(700), "process1 must start while fetch2 still runs");
        Assert.Equal("final", engine.Executors.StartOrder(tree.TreeId!)[^1]);
    }

    [Fact]
    public async Task Seed_dependencies_override_priorities()
    {
        var tree = Tree(W("task1", 2), W("task2", 0, 0, Req("task1")));
        await engine.RunAsync(tree);
        Assert.Equal(["task1", "task2"], engine.Executors.StartOrder(tree.TreeId!));
    }

    [Fact]
    public async Task A_failing_task_is_retried_and_its_dependents_skipped_when_retries_run_out()
    {
        var flaky = new TaskDefinition("flaky", "work_executor", JsonSerializer.SerializeToElement(new { fail_until_attempt = 3 }),
            Retry: new RetrySettings(3, 0.2, 1));
        var broken = new TaskDefinition("broken", "work_executor", JsonSerializer.SerializeToElement(new { fail = true }),
            Retry: new RetrySettings(2, 0.2, 1));
        var tree = Tree(flaky, broken, W("after_broken", 1, 0, Req("broken")), W("leaf", 1, 0, Req("after_broken")));
        var (outcome, state) = await engine.RunAsync(tree);
        Assert.Equal(TreeStatus.Failed, outcome.Status);
        var flakyRecord = state.Tasks.Single(t => t.Id == "flaky");
        Assert.Equal((TaskRunStatus.Completed, 3), (flakyRecord.Status, flakyRecord.Attempts));
        var brokenRecord = state.Tasks.Single(t => t.Id == "broken");
        Assert.Equal((TaskRunStatus.Failed, 2, "broken failed on attempt 2"), (brokenRecord.Status, brokenRecord.Attempts, brokenRecord.Error));
        AssertStatuses(state, ("after_broken", TaskRunStatus.Skipped), ("leaf", TaskRunStatus.Skipped));
        Assert.Equal("required dependency 'broken' failed", state.Tasks.Single(t => t.Id == "after_broken").Error);
        Assert.Equal([1, 2, 3], engine.Executors.Starts.Where(s => s.TreeId == tree.TreeId && s.TaskId == "flaky").Select(s => s.Attempt).Order());
    }

    [Fact]
    public async Task A_timeout_fails_the_task_and_the_tree_still_finishes()
    {
        var slow = W("slow", 1, 5_000) with { TimeoutSeconds = 1 };
        var tree = Tree(slow, W("fallback", 1, 0, Opt("slow")));
        var (outcome, state) = await engine.RunAsync(tree);
        var record = state.Tasks.Single(t => t.Id == "slow");
        Assert.Equal((TaskRunStatus.Failed, "timed out after 1 s"), (record.Status, record.Error));
        AssertStatuses(state, ("fallback", TaskRunStatus.Completed));
        Assert.Equal(TreeStatus.Completed, outcome.Status);
        Assert.True((outcome.CompletedAt - outcome.StartedAt).TotalSeconds < 4.5, "the tree must not wait for the late result");
    }

    [Fact]
    public async Task Cancel_records_in_flight_tasks_and_cancels_the_rest()
    {
        var tree = Tree(W("running", 1, 1_500), W("waiting", 1, 0, Req("running")), W("later", 1, 0, Req("waiting")));
        var (outcome, state) = await engine.RunAsync(tree, async id =>
        {
            await Task.Delay(500);
            await engine.Client.RaiseEventAsync(id, TreeOrchestration.CancelEvent);
        });
        Assert.Equal(TreeStatus.Cancelled, outcome.Status);
        AssertStatuses(state, ("running", TaskRunStatus.Completed), ("waiting", TaskRunStatus.Cancelled), ("later", TaskRunStatus.Cancelled));
        Assert.Equal(["running"], engine.Executors.StartOrder(tree.TreeId!));
        Assert.Equal(DurableFlow.Status.TreeStatusEntity.ApplyOperation, engine.Entities.Signals[^1].Operation);
    }

    [Fact]
    public async Task Max_parallelism_caps_tasks_in_flight_and_serves_the_most_urgent_first()
    {
        var tree = Tree(W("a", 3, 200), W("b", 2, 200), W("c", 1, 200), W("d", 0, 200), W("e", 1, 200)) with { MaxParallelism = 2 };
        var (outcome, _) = await engine.RunAsync(tree);
        Assert.Equal(TreeStatus.Completed, outcome.Status);
        var order = engine.Executors.StartOrder(tree.TreeId!);
        Assert.Equal(["c", "d"], order.Take(2).Order());
        Assert.Equal("a", order[^1]);
        var starts = engine.Executors.Starts.Where(s => s.TreeId == tree.TreeId).Select(s => s.Start).Order().ToList();
        // With 2 slots and 200 ms tasks, the 5th task cannot start before ~400 ms.
        Assert.True((starts[4] - starts[0]).TotalMilliseconds >= 380);
    }

    [Fact]
    public async Task Demo_mode_returns_demo_results_without_real_work_and_records_the_outcome()
    {
        var tree = new TaskTree(Guid.NewGuid().ToString("N"), "tester", 0, true,
            [new TaskDefinition("info", "system_info_executor", JsonSerializer.SerializeToElement(new { _demo_sleep = 0.1 }))]);
        var (outcome, state) = await engine.RunAsync(tree);
        Assert.True(state.Tasks[0].Result!.Value.GetProperty("demo").GetBoolean());
        Assert.Empty(engine.Executors.StartOrder(tree.TreeId!)); // ExecuteAsync never ran
        Assert.Contains(engine.Outcomes, o => o.TreeId == tree.TreeId && o.Status == TreeStatus.Completed && o.Counts.Completed == 1);
        Assert.Equal(TreeStatus.Completed, state.Status);
        Assert.NotNull(state.CompletedAt);
    }

    [Fact]
    public async Task Rerun_after_a_flaky_failure_completes_without_repeating_completed_work()
    {
        var flaky = new TaskDefinition("middle", "work_executor", JsonSerializer.SerializeToElement(new { fail_first_time = true }), Dependencies: [Req("upstream")]);
        var tree = Tree(W("upstream"), W("side"), flaky, W("downstream", 1, 0, Req("middle")), W("join", 1, 0, Req("downstream"), Req("side")));
        var (first, state) = await engine.RunAsync(tree);
        Assert.Equal(TreeStatus.Failed, first.Status);
        AssertStatuses(state, ("upstream", TaskRunStatus.Completed), ("middle", TaskRunStatus.Failed), ("downstream", TaskRunStatus.Skipped), ("join", TaskRunStatus.Skipped));

        var records = state.Tasks.ToDictionary(t => t.Id);
        var plan = RerunPlan.Create(TaskGraph.Build(tree), id => records[id].Status, id => records[id].Result, [], out _);
        Assert.Equal(["middle", "downstream", "join"], plan.Rerun);
        var rerun = new TreeRunInputV1(tree.TreeId!, "tester", tree.ToWire(), DateTime.UtcNow, Run: 2, Carried: plan.Carried);
        var (second, after) = await engine.RunAsync(rerun);

        Assert.Equal((TreeStatus.Completed, 2), (second.Status, second.Run));
        Assert.All(after.Tasks, t => Assert.Equal(TaskRunStatus.Completed, t.Status));
        int Runs(string id) => engine.Executors.Executions[$"{tree.TreeId}/{id}"];
        Assert.Equal((1, 1, 2, 1, 1), (Runs("upstream"), Runs("side"), Runs("middle"), Runs("downstream"), Runs("join")));
        Assert.Equal(2, after.Tasks.Single(t => t.Id == "middle").Attempts); // attempts count across runs
        var join = after.Tasks.Single(t => t.Id == "join");
        Assert.Equal(["downstream", "side"], join.Result!.Value.GetProperty("saw").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([1, 2], after.Runs.Select(r => r.Run));
        Assert.Equal([TreeStatus.Failed, TreeStatus.Completed], after.Runs.Select(r => r.Status));
    }

    [Fact]
    public async Task Custom_status_summarises_progress()
    {
        var tree = Tree(W("a", 1, 0), W("b", 1, 0, Req("a")));
        await engine.RunAsync(tree);
        var metadata = await engine.Client.GetInstanceAsync(tree.TreeId!, getInputsAndOutputs: true);
        var progress = metadata!.ReadCustomStatusAs<TreeProgressV1>()!;
        Assert.Equal(("completed", 1.0, 2), (progress.Status, progress.Progress, progress.Counts.Completed));
    }

    [Fact]
    public async Task On_the_real_engine_a_retry_interval_that_makes_RetryPolicy_throw_ends_the_tree_failed_not_wedged()
    {
        // An input validation now rejects (1e-8 s rounds to 0 ticks): it can still come from an older deployment.
        var tree = Tree(W("a"), W("poison") with { Retry = new RetrySettings(3, 1e-8) });
        var treeId = tree.TreeId!;
        await engine.Client.ScheduleNewOrchestrationInstanceAsync(TreeOrchestration.Name,
            new TreeRunInputV1(treeId, "tester", tree.ToWire(), DateTime.UtcNow), new Microsoft.DurableTask.StartOrchestrationOptions(treeId));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var metadata = await engine.Client.WaitForInstanceCompletionAsync(treeId, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed, metadata.RuntimeStatus);
        var outcome = metadata.ReadOutputAs<TreeRunOutcomeV1>()!;
        Assert.Equal(TreeStatus.Failed, outcome.Status);
        Assert.Contains(engine.Outcomes, o => o.TreeId == treeId && o.Status == TreeStatus.Failed && o.Error == outcome.Error);
        var state = engine.Entities.Get(treeId)!;
        Assert.Equal((TreeStatus.Failed, outcome.Error), (state.Status, state.Error));
        Assert.All(state.Tasks, t => Assert.True(t.Status is TaskRunStatus.Completed or TaskRunStatus.Failed, $"{t.Id} is {t.Status}"));
        Assert.Contains("ArgumentOutOfRangeException", state.Tasks.Single(t => t.Id == "poison").Error, StringComparison.Ordinal);
    }
}
