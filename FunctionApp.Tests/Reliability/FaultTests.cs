using System.Text.Json;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Orchestration;
using DurableFlow.Status;
using DurableFlow.Tests.Orchestration;
using DurableFlow.Tests.Status;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using DurableFlow.Contracts;

namespace DurableFlow.Tests.Reliability;

/// <summary>
/// Executor faults: on the in-process Durable engine (throwing, hanging past the timeout, flaky with
/// retries, oversized results, the skip cascade and fallbacks in one tree), and on the task runner and
/// status entity directly (error text, result cap, idempotent re-delivery).
/// </summary>
public sealed class FaultTests(InProcessEngine engine) : IClassFixture<InProcessEngine>
{
    private static TaskDefinition W(string id, object inputs, params TaskDependency[] dependencies) =>
        new(id, "work_executor", JsonSerializer.SerializeToElement(inputs), Dependencies: dependencies);

    [Fact]
    public async Task Throwing_hanging_flaky_and_oversized_tasks_fail_or_recover_and_the_tree_finishes()
    {
        var tree = new TaskTree(Guid.NewGuid().ToString("N"), "tester", 0, false,
        [
            W("boom", new { fail = true }),
            W("after_boom", new { }, new TaskDependency("boom")),
            W("after_after_boom", new { }, new TaskDependency("after_boom")),
            W("fallback", new { }, new TaskDependency("boom", false)),
            W("slow", new { ms = 4_000 }) with { TimeoutSeconds = 1 },
            W("after_slow", new { }, new TaskDependency("slow")),
            W("flaky", new { fail_until_attempt = 3 }) with { Retry = new RetrySettings(3, 0.5) },
            W("after_flaky", new { }, new TaskDependency("flaky")),
            W("huge", new { result_bytes = new TaskRunnerOptions().MaxResultBytes + 1_000 }),
            W("after_huge", new { }, new TaskDependency("huge")),
            W("huge_fallback", new { }, new TaskDependency("huge", false)),
        ]);

        var started = DateTime.UtcNow;
        var (outcome, state) = await engine.RunAsync(tree);
        var took = DateTime.UtcNow - started;

        // The tree ends (failed: some leaves did not complete) without waiting out the slow executor's 4 s.
        Assert.Equal(TreeStatus.Failed, outcome.Status);
        Assert.True(took < TimeSpan.FromSeconds(30), $"took {took}");
        var byId = state.Tasks.ToDictionary(t => t.Id);
        Assert.DoesNotContain(state.Tasks, t => t.Status is TaskRunStatus.Pending or TaskRunStatus.InProgress);

        // A throwing executor: its message is the error, no stack trace.
        Assert.Equal((TaskRunStatus.Failed, "boom failed on attempt 1"), (byId["boom"].Status, byId["boom"].Error));
        Assert.All(state.Tasks.Where(t => t.Error is not null), t => Assert.DoesNotContain("   at ", t.Error, StringComparison.Ordinal));

        // Skip cascade through required dependencies; the optional fallback runs.
        Assert.Equal((TaskRunStatus.Skipped, "required dependency 'boom' failed"), (byId["after_boom"].Status, byId["after_boom"].Error));
        Assert.Equal((TaskRunStatus.Skipped, "required dependency 'after_boom' skipped"), (byId["after_after_boom"].Status, byId["after_after_boom"].Error));
        Assert.Equal(TaskRunStatus.Completed, byId["fallback"].Status);

        // A hang past its timeout fails the task with the timeout message.
        Assert.Equal((TaskRunStatus.Failed, "timed out after 1 s"), (byId["slow"].Status, byId["slow"].Error));
        Assert.Equal(TaskRunStatus.Skipped, byId["after_slow"].Status);

        // Fails twice, then succeeds on the third attempt.
        Assert.Equal((TaskRunStatus.Completed, 3), (byId["flaky"].Status, byId["flaky"].Attempts));
        Assert.Equal(3, byId["flaky"].Result!.Value.GetProperty("attempt").GetInt32());
        Assert.Equal(TaskRunStatus.Completed, byId["after_flaky"].Status);
        Assert.Equal([1, 2, 3], engine.Executors.Starts.Where(s => s.TreeId == tree.TreeId && s.TaskId == "flaky").Select(s => s.Attempt).Order());

        // An oversized result fails clearly; the run goes on: dependents skipped, the fallback runs.
        Assert.Equal(TaskRunStatus.Failed, byId["huge"].Status);
        Assert.Matches(@"^result is \d+ bytes; the limit is 262144 bytes \(Tasks:MaxResultBytes\)", byId["huge"].Error);
        Assert.Null(byId["huge"].Result);
        Assert.Equal(TaskRunStatus.Skipped, byId["after_huge"].Status);
        Assert.Equal(TaskRunStatus.Completed, byId["huge_fallback"].Status);

        Assert.Equal(new TaskCounts(0, 0, 4, 3, 4, 0), outcome.Counts.ToDomain());
        Assert.Contains(engine.Outcomes, o => o.TreeId == tree.TreeId && o.Status == TreeStatus.Failed);
    }

    // ---- the task runner directly ----

    private sealed class ScriptedExecutor(Func<TaskExecutionContext, Task<JsonElement>> run) : ITaskExecutor
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public string Name => "scripted_executor";

        public string Description => "test";

        public IReadOnlyList<ExecutorInput> Inputs => [];

        public Task<JsonElement> ExecuteAsync(TaskExecutionContext context)
        {
            Interlocked.Increment(ref _calls);
            return run(context);
        }

        public JsonElement DemoResult(TaskExecutionContext context) => JsonSerializer.SerializeToElement("demo");
    }

    private static TaskRunner Runner(ITaskExecutor executor, int maxResultBytes = 256 * 1024) =>
        new(new ExecutorRegistry([executor]), Options.Create(new TaskRunnerOptions { MaxResultBytes = maxResultBytes }), NullLogger<TaskRunner>.Instance);

    private static TaskRunRequestV1 Request(int attempt = 1, string taskId = "t") =>
        new("tree-f", taskId, "scripted_executor", attempt, 1, false, null, new Dictionary<string, JsonElement>());

    [Fact]
    public async Task An_executor_exception_becomes_its_message_without_a_stack_trace()
    {
        static Task<JsonElement> Deep(int n) => n == 0 ? throw new InvalidOperationException("disk on fire") : Deep(n - 1);
        var runner = Runner(new ScriptedExecutor(async _ => await Deep(5)));

        var result = await runner.RunAsync(Request(), CancellationToken.None);

        Assert.Equal(TaskRunResultV1.Failure("disk on fire"), result with { RanAt = null, RanUntil = null });
    }

    [Fact]
    public async Task A_result_says_when_the_executor_ran_measured_around_the_executor_alone()
    {
        var before = DateTime.UtcNow;
        var runner = Runner(new ScriptedExecutor(async _ =>
        {
            await Task.Delay(200);
            return JsonSerializer.SerializeToElement("done");
        }));

        var result = await runner.RunAsync(Request(), CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.NotNull(result.RanAt);
        Assert.NotNull(result.RanUntil);
        Assert.InRange(result.RanAt!.Value, before, result.RanUntil!.Value);
        Assert.True(result.RanUntil - result.RanAt >= TimeSpan.FromMilliseconds(150), $"ran {(result.RanUntil - result.RanAt)!.Value.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task An_exception_without_a_message_is_named_by_its_type()
    {
        var runner = Runner(new ScriptedExecutor(_ => throw new BlankException()));
        var result = await runner.RunAsync(Request(), CancellationToken.None);
        Assert.Equal((false, nameof(BlankException)), (result.Succeeded, result.Error));
    }

    private sealed class BlankException : Exception
    {
        public override string Message => " ";
    }

    [Fact]
    public async Task A_result_over_the_limit_fails_clearly_and_one_at_the_limit_passes()
    {
        var size = 0;
        var runner = Runner(new ScriptedExecutor(_ => Task.FromResult(JsonSerializer.SerializeToElement(new string('x', size - 2)))), maxResultBytes: 1_000);

        size = 1_001;
        var over = await runner.RunAsync(Request(attempt: 1), CancellationToken.None);
        Assert.Equal("result is 1001 bytes; the limit is 1000 bytes (Tasks:MaxResultBytes): return less, or store large data elsewhere and return a reference", over.Error);
        Assert.Null(over.Result);

        size = 1_000;
        var at = await runner.RunAsync(Request(attempt: 2), CancellationToken.None);
        Assert.True(at.Succeeded);
    }

    [Fact]
    public async Task A_redelivered_attempt_runs_the_executor_once_and_returns_the_same_outcome()
    {
        var executor = new ScriptedExecutor(c => Task.FromResult(JsonSerializer.SerializeToElement(new { attempt = c.Attempt, nonce = Guid.NewGuid() })));
        var runner = Runner(executor);
        var functions = new TreeFunctions(runner, new NoRecorder());

        var first = await functions.RunTaskAsync(Request(), CancellationToken.None);
        var again = await functions.RunTaskAsync(Request(), CancellationToken.None);

        Assert.Equal(1, executor.Calls);
        Assert.Equal(1, runner.Executions);
        Assert.Equal(first.Result!.Value.GetRawText(), again.Result!.Value.GetRawText());

        // Another attempt or another task is new work.
        await functions.RunTaskAsync(Request(attempt: 2), CancellationToken.None);
        await functions.RunTaskAsync(Request(taskId: "u"), CancellationToken.None);
        Assert.Equal(3, executor.Calls);
    }

    [Fact]
    public async Task A_redelivery_while_the_first_delivery_still_runs_waits_for_it_instead_of_running_again()
    {
        var release = new TaskCompletionSource();
        var executor = new ScriptedExecutor(async _ =>
        {
            await release.Task;
            throw new InvalidOperationException("failed once");
        });
        var runner = Runner(executor);

        var deliveries = Enumerable.Range(0, 5).Select(_ => Task.Run(() => runner.RunAsync(Request(), CancellationToken.None))).ToList();
        await Task.Delay(50);
        release.SetResult();
        var results = await Task.WhenAll(deliveries);

        Assert.Equal(1, executor.Calls);
        Assert.All(results, r => Assert.Equal(TaskRunResultV1.Failure("failed once"), r with { RanAt = null, RanUntil = null }));
        Assert.Single(results.Select(r => r.RanAt).Distinct()); // one run, one set of times
    }

    private sealed class NoRecorder : ITreeOutcomeRecorder
    {
        public Task RecordAsync(TreeRunOutcomeV1 outcome, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    // ---- the status entity ----

    [Fact]
    public async Task Applying_the_same_status_update_twice_leaves_one_recorded_outcome()
    {
        var t0 = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);
        var start = new StatusUpdateV1(1, t0, TreeStatus.InProgress, [new TaskStatusChangeV1("a", TaskRunStatus.InProgress, 1)],
            new RunStartV1("tree-f", "alice", t0, [new TaskDefinition("a", "work_executor").ToWire(), new TaskDefinition("b", "work_executor", Dependencies: [new TaskDependency("a")]).ToWire()]));
        var done = new StatusUpdateV1(1, t0.AddSeconds(5), TreeStatus.Failed,
            [new TaskStatusChangeV1("a", TaskRunStatus.Failed, 2, Error: "boom"), new TaskStatusChangeV1("b", TaskRunStatus.Skipped, Error: "required dependency 'a' failed")]);

        var once = new EntityHarness();
        await once.RunAsync(TreeStatusEntity.ApplyOperation, start);
        await once.RunAsync(TreeStatusEntity.ApplyOperation, done);

        var twice = new EntityHarness();
        await twice.RunAsync(TreeStatusEntity.ApplyOperation, start);
        await twice.RunAsync(TreeStatusEntity.ApplyOperation, start);
        await twice.RunAsync(TreeStatusEntity.ApplyOperation, done);
        await twice.RunAsync(TreeStatusEntity.ApplyOperation, done);
        // A late re-delivery of the first signal must not move anything back either.
        await twice.RunAsync(TreeStatusEntity.ApplyOperation, start with { At = t0.AddSeconds(9) });

        Assert.Equal(JsonSerializer.Serialize(once.Tree), JsonSerializer.Serialize(twice.Tree));
        var a = twice.Tree!.Tasks.Single(t => t.Id == "a");
        Assert.Equal((TaskRunStatus.Failed, 2, "boom", "2026-03-01T12:00:05.0000000Z"), (a.Status, a.Attempts, a.Error, a.CompletedAt));
        Assert.Equal(2, twice.Tree.Tasks.Count);
        Assert.Equal(TreeStatus.Failed, twice.Tree.Status);
    }
}
