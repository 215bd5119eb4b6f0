using DurableFlow.Graph;
using static DurableFlow.Tests.Graph.Trees;

namespace DurableFlow.Tests.Graph;

public class TreeSchedulerTests
{
    // --- The six graphs of the seed tutorial ---

    [Fact]
    public void Seed_sequential_runs_the_dependent_after_its_dependency()
    {
        var run = Drive(Tree(T("cpu"), T("memory", 2, Req("cpu"))));
        Assert.Equal(["cpu", "memory"], run.StartOrder);
        Assert.Equal([["cpu"], ["memory"]], run.Waves);
        Assert.Equal(TreeStatus.Completed, run.Outcome);
    }

    [Fact]
    public void Seed_three_step_pipeline()
    {
        var run = Drive(Tree(T("fetch"), T("process", 2, Req("fetch")), T("save", 3, Req("process"))));
        Assert.Equal([["fetch"], ["process"], ["save"]], run.Waves);
        Assert.Equal(TreeStatus.Completed, run.Outcome);
    }

    [Fact]
    public void Seed_fan_in_starts_three_in_parallel_and_the_aggregate_after_all()
    {
        var run = Drive(Tree(T("cpu"), T("memory"), T("disk"), T("aggregate", 2, Req("cpu"), Req("memory"), Req("disk"))));
        Assert.Equal(["cpu", "memory", "disk"], run.Waves[0]);
        Assert.Equal(["aggregate"], run.Waves[^1]);
        Assert.Equal(TreeStatus.Completed, run.Outcome);
    }

    [Fact]
    public void Seed_optional_fallback_runs_fallback_and_final_after_primary_fails_and_completes()
    {
        var tree = Tree(T("primary"), T("fallback", 2, Opt("primary")), T("final", 3, Opt("primary"), Opt("fallback")));
        var run = Drive(tree, "primary");
        Assert.Equal(["primary", "fallback", "final"], run.StartOrder);
        Assert.Equal(TaskRunStatus.Failed, run.Statuses["primary"]);
        Assert.Equal(TaskRunStatus.Completed, run.Statuses["fallback"]);
        Assert.Equal(TaskRunStatus.Completed, run.Statuses["final"]);
        Assert.Equal(TreeStatus.Completed, run.Outcome); // the only leaf, final, completed
    }

    [Fact]
    public void Seed_optional_dependencies_are_waited_for_not_ignored()
    {
        // The original project ran "final" before its optional dependencies ended; we wait.
        var scheduler = new TreeScheduler(TaskGraph.Build(Tree(T("primary"), T("final", Opt("primary")))));
        Assert.Equal(["primary"], scheduler.Start().Select(r => r.Task.Id));
        Assert.Empty(scheduler.Release());
        scheduler.Complete("primary", Json("1"));
        Assert.Equal(["final"], scheduler.Release().Select(r => r.Task.Id));
    }

    [Fact]
    public void Seed_complex_workflow_runs_each_branch_as_soon_as_it_can()
    {
        var tree = Tree(T("fetch1"), T("fetch2"), T("process1", 2, Req("fetch1")), T("process2", 2, Req("fetch2")), T("final", 3, Req("process1"), Req("process2")));
        var scheduler = new TreeScheduler(TaskGraph.Build(tree));
        Assert.Equal(["fetch1", "fetch2"], scheduler.Start().Select(r => r.Task.Id));
        scheduler.Complete("fetch1", Json("1"));
        // process1 starts while fetch2 is still running: no level-by-level waves.
        Assert.Equal(["process1"], scheduler.Release().Select(r => r.Task.Id));
        scheduler.Complete("process1", Json("1"));
        Assert.Empty(scheduler.Release());
        scheduler.Complete("fetch2", Json("1"));
        Assert.Equal(["process2"], scheduler.Release().Select(r => r.Task.Id));
        scheduler.Complete("process2", Json("1"));
        Assert.Equal(["final"], scheduler.Release().Select(r => r.Task.Id));
        scheduler.Complete("final", Json("1"));
        Assert.Equal(TreeStatus.Completed, scheduler.Status);
    }

    [Fact]
    public void Seed_dependencies_override_priorities()
    {
        var run = Drive(Tree(T("task1", priority: 2), T("task2", 0, Req("task1"))));
        Assert.Equal(["task1", "task2"], run.StartOrder);
    }

    // --- Rules ---

    [Fact]
    public void Ready_tasks_start_by_priority_then_submission_order_with_zero_most_urgent()
    {
        var scheduler = new TreeScheduler(TaskGraph.Build(Tree(T("low", 3), T("normal-a", 2), T("urgent", 0), T("normal-b", 2), T("high", 1))));
        Assert.Equal(["urgent", "high", "normal-a", "normal-b", "low"], scheduler.Start().Select(r => r.Task.Id));
    }

    [Fact]
    public void Newly_ready_tasks_are_released_together_in_one_step()
    {
        var scheduler = new TreeScheduler(TaskGraph.Build(Tree(T("root"), T("a", 2, Req("root")), T("b", 1, Req("root")), T("c", 0, Req("root")))));
        scheduler.Start();
        scheduler.Complete("root", Json("1"));
        Assert.Equal(["c", "b", "a"], scheduler.Release().Select(r => r.Task.Id));
        Assert.Equal(3, scheduler.InFlightCount);
    }

    [Fact]
    public void Parallelism_cap_gives_each_free_slot_to_the_most_urgent_ready_task()
    {
        var tree = Capped(2, T("a", 5), T("b", 4), T("c", 3), T("d", 0), T("e", 1));
        var scheduler = new TreeScheduler(TaskGraph.Build(tree), tree.MaxParallelism);
        Assert.Equal(["d", "e"], scheduler.Start().Select(r => r.Task.Id));
        Assert.Empty(scheduler.Release());
        scheduler.Complete("e", Json("1"));
        Assert.Equal(["c"], scheduler.Release().Select(r => r.Task.Id));
        scheduler.Complete("d", Json("1"));
        scheduler.Complete("c", Json("1"));
        Assert.Equal(["b", "a"], scheduler.Release().Select(r => r.Task.Id));
    }

    [Fact]
    public void A_failed_required_dependency_skips_dependents_transitively_and_nothing_stays_pending()
    {
        var tree = Tree(T("a"), T("b", Req("a")), T("c", Req("b")), T("d", Opt("b")), T("e", Req("d")), T("side"));
        var run = Drive(tree, "a");
        Assert.Equal(TaskRunStatus.Failed, run.Statuses["a"]);
        Assert.Equal(TaskRunStatus.Skipped, run.Statuses["b"]);
        Assert.Equal(TaskRunStatus.Skipped, run.Statuses["c"]);
        Assert.Equal(TaskRunStatus.Completed, run.Statuses["d"]); // optional on a skipped task: still runs
        Assert.Equal(TaskRunStatus.Completed, run.Statuses["e"]);
        Assert.Equal("required dependency 'a' failed", run.Errors["b"]);
        Assert.Equal("required dependency 'b' skipped", run.Errors["c"]);
        Assert.DoesNotContain(TaskRunStatus.Pending, run.Statuses.Values);
        Assert.Equal(TreeStatus.Failed, run.Outcome); // leaf c did not complete
    }

    [Fact]
    public void A_task_is_skipped_as_soon_as_a_required_dependency_fails_even_while_others_run()
    {
        var scheduler = new TreeScheduler(TaskGraph.Build(Tree(T("slow"), T("bad"), T("join", Req("slow"), Req("bad")))));
        scheduler.Start();
        scheduler.Fail("bad", "boom");
        Assert.Equal(TaskRunStatus.Skipped, scheduler.StatusOf("join"));
        Assert.False(scheduler.IsFinished);
        scheduler.Complete("slow", Json("1"));
        Assert.True(scheduler.IsFinished);
        Assert.Empty(scheduler.Release());
    }

    [Fact]
    public void Dependency_results_carry_completed_dependencies_only()
    {
        var scheduler = new TreeScheduler(TaskGraph.Build(Tree(T("ok"), T("bad"), T("join", Opt("ok"), Opt("bad")))));
        scheduler.Start();
        scheduler.Complete("ok", Json("{\"v\":1}"));
        scheduler.Fail("bad", "boom");
        var join = Assert.Single(scheduler.Release());
        Assert.Equal(["ok"], join.DependencyResults.Keys);
        Assert.Equal(1, join.DependencyResults["ok"].GetProperty("v").GetInt32());
    }

    [Fact]
    public void Cancel_cancels_every_task_not_started_and_lets_in_flight_tasks_finish()
    {
        var tree = Capped(1, T("a"), T("b"), T("c", Req("a")));
        var scheduler = new TreeScheduler(TaskGraph.Build(tree), 1);
        Assert.Equal(["a"], scheduler.Start().Select(r => r.Task.Id));
        scheduler.TakeChanges();
        scheduler.Cancel();
        var changes = scheduler.TakeChanges();
        Assert.Equal(["b", "c"], changes.Select(c => c.TaskId));
        Assert.All(changes, c => Assert.Equal(TaskRunStatus.Cancelled, c.Status));
        Assert.False(scheduler.IsFinished);
        scheduler.Complete("a", Json("1"));
        Assert.Empty(scheduler.Release());
        Assert.True(scheduler.IsFinished);
        Assert.Equal(TaskRunStatus.Completed, scheduler.StatusOf("a"));
        Assert.Equal(TreeStatus.Cancelled, scheduler.Status);
    }

    [Fact]
    public void Cancel_after_the_tree_finished_changes_nothing()
    {
        var scheduler = new TreeScheduler(TaskGraph.Build(Tree(T("a"))));
        scheduler.Start();
        scheduler.Complete("a", Json("1"));
        scheduler.Cancel();
        Assert.Equal(TreeStatus.Completed, scheduler.Status);
        Assert.False(scheduler.IsCancelled);
    }

    [Fact]
    public void Tree_status_moves_from_pending_to_in_progress_to_the_leaf_rule()
    {
        var scheduler = new TreeScheduler(TaskGraph.Build(Tree(T("a"), T("b", Opt("a")))));
        Assert.Equal(TreeStatus.Pending, scheduler.Status);
        scheduler.Start();
        Assert.Equal(TreeStatus.InProgress, scheduler.Status);
        scheduler.Fail("a", "x");
        scheduler.Release();
        scheduler.Complete("b", Json("1"));
        Assert.Equal(TreeStatus.Completed, scheduler.Status); // a failed, but the leaf b completed
    }

    [Fact]
    public void Changes_are_batched_per_step_with_results_and_errors()
    {
        var scheduler = new TreeScheduler(TaskGraph.Build(Tree(T("a"), T("b"), T("c", Req("a")), T("d", Req("b")))));
        scheduler.Start();
        Assert.Equal([("a", TaskRunStatus.InProgress), ("b", TaskRunStatus.InProgress)], scheduler.TakeChanges().Select(c => (c.TaskId, c.Status)));
        scheduler.Complete("a", Json("42"));
        scheduler.Fail("b", "boom");
        scheduler.Release();
        var step = scheduler.TakeChanges();
        Assert.Equal(
            [("a", TaskRunStatus.Completed), ("b", TaskRunStatus.Failed), ("d", TaskRunStatus.Skipped), ("c", TaskRunStatus.InProgress)],
            step.Select(c => (c.TaskId, c.Status)));
        Assert.Equal(42, step[0].Result!.Value.GetInt32());
        Assert.Equal("boom", step[1].Error);
        Assert.Empty(scheduler.TakeChanges());
    }

    [Fact]
    public void Counts_and_progress_follow_the_run()
    {
        var scheduler = new TreeScheduler(TaskGraph.Build(Tree(T("a"), T("b", Req("a")), T("c", Req("a")), T("d"))));
        scheduler.Start();
        scheduler.Fail("a", "x");
        var counts = scheduler.Counts;
        Assert.Equal(new TaskCounts(0, 1, 0, 1, 2, 0), counts);
        Assert.Equal(0.75, counts.Progress);
    }

    [Fact]
    public void An_outcome_is_recorded_once()
    {
        var scheduler = new TreeScheduler(TaskGraph.Build(Tree(T("a"), T("b", Req("a")))));
        scheduler.Start();
        scheduler.Complete("a", Json("1"));
        Assert.Throws<InvalidOperationException>(() => scheduler.Complete("a", Json("1")));
        Assert.Throws<InvalidOperationException>(() => scheduler.Fail("b", "not started"));
        Assert.Throws<KeyNotFoundException>(() => scheduler.Fail("zzz", "unknown"));
    }

    [Fact]
    public void A_100000_task_chain_schedules_without_recursion()
    {
        var tasks = new TaskDefinition[100_000];
        tasks[0] = T("t0");
        for (var i = 1; i < tasks.Length; i++)
        {
            tasks[i] = T($"t{i}", Req($"t{i - 1}"));
        }

        var scheduler = new TreeScheduler(TaskGraph.Build(Tree(tasks)));
        scheduler.Start();
        scheduler.Fail("t0", "x"); // the skip cascade walks the whole chain in one step
        Assert.True(scheduler.IsFinished);
        Assert.Equal(99_999, scheduler.Counts.Skipped);
    }
}
