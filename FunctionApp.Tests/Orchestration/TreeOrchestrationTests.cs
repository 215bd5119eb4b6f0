using DurableFlow.Graph;
using DurableFlow.Orchestration;
using DurableFlow.Status;
using static DurableFlow.Testing.Trees;
using DurableFlow.Contracts;

namespace DurableFlow.Tests.Orchestration;

/// <summary>The production orchestrator against a mocked <c>TaskOrchestrationContext</c>.</summary>
public sealed class TreeOrchestrationTests : IDisposable
{
    private readonly FakeOrchestrationContext _context = new();
    private TreeOrchestration? _orchestration;

    public void Dispose() => _orchestration?.Dispose();

    private Task<TreeRunOutcomeV1> Start(TaskTree tree)
    {
        _orchestration = new TreeOrchestration(_context.Mock.Object);
        var run = _orchestration.RunAsync(new TreeRunInputV1("tree-1", "alice", tree.ToWire(), _context.Now));
        if (run.IsFaulted)
        {
            run.GetAwaiter().GetResult(); // surface a synchronous failure of the orchestrator itself
        }

        return run;
    }

    [Fact]
    public async Task Dispatches_ready_tasks_at_once_by_priority()
    {
        var run = Start(Tree(T("low", 3), T("urgent", 0), T("normal", 1), T("after", 0, Req("low"))));
        Assert.Equal(["urgent", "normal", "low"], _context.Started);
        _context.Succeed("low");
        Assert.Equal(["urgent", "normal", "low", "after"], _context.Started);
        _context.Succeed("urgent");
        _context.Succeed("normal");
        _context.Succeed("after");
        var outcome = await run;
        Assert.Equal(TreeStatus.Completed, outcome.Status);
        Assert.Equal(4, outcome.Counts.Completed);
    }

    [Fact]
    public async Task Passes_each_task_only_what_it_needs()
    {
        var tree = Tree(T("a") with { Inputs = Json("{\"resource\":\"cpu\"}") }, T("b", Req("a"))) with { UseDemo = true };
        var run = Start(tree);
        var first = _context.Call("a").Request;
        Assert.Equal(("tree-1", "a", "system_info_executor", 1, 1, true), (first.TreeId, first.TaskId, first.Name, first.Attempt, first.Run, first.UseDemo));
        Assert.Equal("cpu", first.Inputs!.Value.GetProperty("resource").GetString());
        Assert.Empty(first.DependencyResults);
        _context.Succeed("a", "{\"cores\":8}");
        Assert.Equal(8, _context.Call("b").Request.DependencyResults["a"].GetProperty("cores").GetInt32());
        _context.Succeed("b");
        await run;
    }

    [Fact]
    public async Task Optional_fallback_runs_after_the_primary_fails_and_the_tree_completes()
    {
        var run = Start(Tree(T("primary"), T("fallback", 2, Opt("primary")), T("final", 3, Opt("primary"), Opt("fallback"))));
        Assert.Equal(["primary"], _context.Started);
        _context.Fail("primary");
        Assert.Equal(["primary", "fallback"], _context.Started);
        _context.Succeed("fallback");
        _context.Succeed("final");
        Assert.Equal(TreeStatus.Completed, (await run).Status);
    }

    [Fact]
    public async Task Skip_cascade_reaches_the_status_entity_and_nothing_is_left_pending()
    {
        var run = Start(Tree(T("a"), T("b", Req("a")), T("c", Req("b"))));
        _context.Fail("a", "disk full");
        var outcome = await run;
        Assert.Equal(TreeStatus.Failed, outcome.Status);
        Assert.Equal(new TaskCounts(0, 0, 0, 1, 2, 0), outcome.Counts.ToDomain());
        var last = _context.Signals[^1].Update;
        Assert.Equal(
            [("a", TaskRunStatus.Failed, "disk full"), ("b", TaskRunStatus.Skipped, "required dependency 'a' failed"), ("c", TaskRunStatus.Skipped, "required dependency 'b' skipped")],
            last.Changes.Select(c => (c.TaskId, c.Status, c.Error)));
        Assert.Equal(["a"], _context.Started);
    }

    [Fact]
    public async Task Parallelism_cap_limits_tasks_in_flight()
    {
        var run = Start(Capped(2, T("a", 3), T("b", 2), T("c", 1), T("d", 0)));
        Assert.Equal(["d", "c"], _context.Started);
        _context.Succeed("c");
        Assert.Equal(["d", "c", "b"], _context.Started);
        _context.Succeed("d");
        _context.Succeed("b");
        _context.Succeed("a");
        Assert.Equal(TreeStatus.Completed, (await run).Status);
    }

    [Fact]
    public async Task Retry_settings_become_attempts_with_durable_backoff()
    {
        var retry = new RetrySettings(MaxAttempts: 3, FirstRetryIntervalSeconds: 2, BackoffCoefficient: 3, MaxRetryIntervalSeconds: 5);
        var run = Start(Tree(T("flaky") with { Retry = retry }));
        _context.Fail("flaky", "try 1");
        var firstDelay = Assert.Single(_context.Timers);
        Assert.Equal(_context.Now.AddSeconds(2), firstDelay.FireAt);
        firstDelay.Fire();
        Assert.Equal(2, _context.Call("flaky").Request.Attempt);
        _context.Fail("flaky", "try 2");
        Assert.Equal(_context.Now.AddSeconds(5), _context.Timers[1].FireAt); // 2 × 3 = 6, capped at 5
        _context.Timers[1].Fire();
        Assert.Equal(3, _context.Call("flaky").Request.Attempt);
        _context.Succeed("flaky");
        var outcome = await run;
        Assert.Equal(TreeStatus.Completed, outcome.Status);
        var done = _context.Signals[^1].Update.Changes.Single(c => c.TaskId == "flaky");
        Assert.Equal((TaskRunStatus.Completed, 3), (done.Status, done.Attempts));
    }

    [Fact]
    public async Task Retries_stop_at_max_attempts_with_the_last_error()
    {
        var run = Start(Tree(T("bad") with { Retry = new RetrySettings(2) }));
        _context.Fail("bad", "first");
        _context.Timers[0].Fire();
        _context.Fail("bad", "second");
        var outcome = await run;
        Assert.Equal(TreeStatus.Failed, outcome.Status);
        Assert.Equal(2, _context.Activities.Count);
        var failed = _context.Signals[^1].Update.Changes.Single();
        Assert.Equal(("second", 2), (failed.Error, failed.Attempts));
    }

    [Fact]
    public async Task Timeout_fails_the_task_and_ignores_a_late_result()
    {
        var run = Start(Tree(T("slow") with { TimeoutSeconds = 30 }, T("next", Opt("slow"))));
        var timer = Assert.Single(_context.Timers);
        Assert.Equal(_context.Now.AddSeconds(30), timer.FireAt);
        timer.Fire();
        Assert.Equal(["slow", "next"], _context.Started);
        _context.Activities[0].Completion.SetResult(TaskRunResultV1.Success(Json("\"late\"")));
        _context.Succeed("next");
        await run;
        var slow = _context.Signals.SelectMany(s => s.Update.Changes).Where(c => c.TaskId == "slow").Last();
        Assert.Equal((TaskRunStatus.Failed, "timed out after 30 s"), (slow.Status, slow.Error));
    }

    [Fact]
    public async Task A_timer_is_cancelled_when_the_activity_wins()
    {
        var run = Start(Tree(T("quick") with { TimeoutSeconds = 30 }));
        _context.Succeed("quick");
        await run;
        Assert.True(Assert.Single(_context.Timers).Cancelled);
    }

    [Fact]
    public async Task Cancel_stops_dispatch_cancels_waiting_tasks_and_records_in_flight_ones()
    {
        var run = Start(Tree(T("running"), T("waiting", Req("running")), T("other", Req("waiting"))));
        _context.Events[TreeOrchestration.CancelEvent].SetResult(null);
        Assert.False(run.IsCompleted); // the in-flight task is awaited
        _context.Succeed("running");
        var outcome = await run;
        Assert.Equal(TreeStatus.Cancelled, outcome.Status);
        Assert.Equal(["running"], _context.Started);
        Assert.Equal(new TaskCounts(0, 0, 1, 0, 0, 2), outcome.Counts.ToDomain());
        var changes = _context.Signals.SelectMany(s => s.Update.Changes).ToList();
        Assert.Contains(changes, c => c is { TaskId: "waiting", Status: TaskRunStatus.Cancelled });
        Assert.Contains(changes, c => c is { TaskId: "running", Status: TaskRunStatus.Completed });
    }

    [Fact]
    public async Task Cancel_during_a_retry_delay_makes_no_further_attempt()
    {
        var run = Start(Tree(T("flaky") with { Retry = new RetrySettings(5, 60) }));
        _context.Fail("flaky", "first");
        _context.Events[TreeOrchestration.CancelEvent].SetResult(null);
        var outcome = await run;
        Assert.Single(_context.Activities);
        Assert.True(_context.Timers[0].Cancelled);
        Assert.Equal(TreeStatus.Cancelled, outcome.Status);
    }

    [Fact]
    public async Task Sends_one_signal_per_step_with_the_outline_first()
    {
        var run = Start(Tree(T("a"), T("b"), T("c", Req("a"), Req("b"))));
        Assert.Single(_context.Signals);
        var first = _context.Signals[0];
        Assert.Equal(TreeStatusEntity.IdFor("tree-1"), first.Id);
        Assert.Equal(TreeStatusEntity.ApplyOperation, first.Operation);
        Assert.Equal(["a", "b", "c"], first.Update.Start!.Tasks.Select(t => t.Id));
        Assert.Equal([("a", TaskRunStatus.InProgress), ("b", TaskRunStatus.InProgress)], first.Update.Changes.Select(c => (c.TaskId, c.Status)));

        _context.Succeed("a");
        Assert.Equal(2, _context.Signals.Count);
        Assert.Null(_context.Signals[1].Update.Start);
        Assert.Equal([("a", TaskRunStatus.Completed)], _context.Signals[1].Update.Changes.Select(c => (c.TaskId, c.Status)));

        _context.Succeed("b"); // completes b and releases c: one step, one signal
        Assert.Equal(3, _context.Signals.Count);
        Assert.Equal([("b", TaskRunStatus.Completed), ("c", TaskRunStatus.InProgress)], _context.Signals[2].Update.Changes.Select(c => (c.TaskId, c.Status)));

        _context.Succeed("c");
        await run;
        Assert.Equal(4, _context.Signals.Count);
        Assert.Equal(TreeStatus.Completed, _context.Signals[^1].Update.TreeStatus);
    }

    [Fact]
    public async Task Custom_status_is_a_small_summary_and_the_outcome_is_recorded()
    {
        var run = Start(Tree(Enumerable.Range(0, 2000).Select(i => T($"task-{i}")).ToArray()));
        var status = Assert.IsType<TreeProgressV1>(_context.CustomStatus);
        Assert.Equal(("in_progress", 2000), (status.Status, status.Counts.InProgress));
        Assert.True(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(status).Length < 1024);
        foreach (var call in _context.Activities.ToList())
        {
            call.Completion.SetResult(TaskRunResultV1.Success(Json("1")));
        }

        var outcome = await run;
        var recorded = Assert.Single(_context.OtherActivities);
        Assert.Equal(TreeOrchestration.RecordOutcomeActivity, recorded.Name);
        Assert.Equal(outcome, recorded.Input);
        Assert.Equal(1.0, ((TreeProgressV1)_context.CustomStatus!).Progress);
    }

    [Fact]
    public async Task An_activity_failure_is_a_task_failure_not_a_crash()
    {
        var run = Start(Tree(T("a")));
        _context.Call("a").Completion.SetException(new Microsoft.DurableTask.TaskFailedException(TreeOrchestration.RunTaskActivity, 1,
            new Microsoft.DurableTask.TaskFailureDetails("System.InvalidOperationException", "worker lost", null, null, null)));
        var outcome = await run;
        Assert.Equal(TreeStatus.Failed, outcome.Status);
        Assert.Equal("worker lost", _context.Signals[^1].Update.Changes.Single().Error);
    }

    [Theory]
    [InlineData(1, 1.0, null, 1, 1)]
    [InlineData(2, 2.0, null, 3, 8)]
    [InlineData(1, 2.0, 3.0, 5, 3)]
    public void Retry_delay_follows_durables_formula(double first, double backoff, double? max, int failedAttempts, double expectedSeconds)
    {
        var policy = RetryPolicies.From(new RetrySettings(10, first, backoff, max));
        Assert.Equal(10, policy.MaxNumberOfAttempts);
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RetryPolicies.DelayBeforeRetry(policy, failedAttempts));
    }

    [Fact]
    public async Task A_fault_inside_the_orchestrator_ends_the_run_failed_and_records_it()
    {
        // Validation now rejects it, but an older or hand-made input can still carry it: RetryPolicy throws.
        var run = Start(Tree(T("a"), T("poison") with { Retry = new RetrySettings(3, 1e-8) }, T("after", Req("a"))));
        _context.Succeed("a");
        var outcome = await run;

        Assert.Equal(TreeStatus.Failed, outcome.Status);
        Assert.Contains("the orchestration failed: ArgumentOutOfRangeException", outcome.Error, StringComparison.Ordinal);
        var last = _context.Signals[^1].Update;
        Assert.Equal((TreeStatus.Failed, outcome.Error), (last.TreeStatus, last.Error));
        var recorded = Assert.IsType<TreeRunOutcomeV1>(Assert.Single(_context.OtherActivities, a => a.Name == TreeOrchestration.RecordOutcomeActivity).Input);
        Assert.Equal((TreeStatus.Failed, outcome.Error), (recorded.Status, recorded.Error));
        // Everything not ended counts as failed, as the entity will record it.
        Assert.Equal(0, recorded.Counts.Pending + recorded.Counts.InProgress);
        Assert.Equal(3, recorded.Counts.Completed + recorded.Counts.Failed);
    }

    [Fact]
    public async Task A_task_whose_dependency_results_exceed_the_limit_fails_without_an_activity()
    {
        _orchestration = new TreeOrchestration(_context.Mock.Object);
        var tree = Tree(T("a"), T("b"), T("sum", Req("a"), Req("b")));
        var run = _orchestration.RunAsync(new TreeRunInputV1("tree-1", "alice", tree.ToWire(), _context.Now, MaxDependencyResultsBytes: 100));
        _context.Succeed("a", $"{{\"pad\":\"{new string('x', 60)}\"}}");
        _context.Succeed("b", $"{{\"pad\":\"{new string('y', 60)}\"}}");
        var outcome = await run;

        Assert.Equal(TreeStatus.Failed, outcome.Status);
        Assert.DoesNotContain("sum", _context.Started);
        var sum = _context.Signals.SelectMany(s => s.Update.Changes).Last(c => c.TaskId == "sum");
        Assert.Equal(TaskRunStatus.Failed, sum.Status);
        Assert.Contains("over the limit of 100 bytes (Tasks:MaxDependencyResultsBytes)", sum.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_that_carries_more_than_the_limit_is_signalled_in_parts_that_end_with_the_real_status()
    {
        _orchestration = new TreeOrchestration(_context.Mock.Object);
        var dependents = Enumerable.Range(1, 8).Select(i => T($"b{i}", Req("a"))).ToArray();
        var tree = Tree([T("a"), .. dependents]);
        var run = _orchestration.RunAsync(new TreeRunInputV1("tree-1", "alice", tree.ToWire(), _context.Now, MaxDependencyResultsBytes: 100));
        _context.Fail("a", new string('e', 40)); // one step: a fails, eight dependents are skipped with an error each
        await run;

        var parts = _context.Signals.Skip(1).Select(s => s.Update).ToList();
        Assert.True(parts.Count >= 3, $"expected the step in parts, got {parts.Count} signal(s)");
        Assert.All(parts, p => Assert.True(p.Changes.Count == 1 || p.Changes.Sum(c => (c.Error?.Length ?? 0) + c.TaskId.Length) <= 100));
        Assert.All(parts[..^1], p => Assert.Equal(TreeStatus.InProgress, p.TreeStatus));
        Assert.Equal(TreeStatus.Failed, parts[^1].TreeStatus);
        Assert.Equal(9, parts.Sum(p => p.Changes.Count));
    }
}
