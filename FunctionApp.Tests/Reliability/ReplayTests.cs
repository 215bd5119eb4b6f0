using System.Globalization;
using System.Text.Json;
using DurableFlow.Graph;
using DurableFlow.Orchestration;
using DurableFlow.Status;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Moq;
using static DurableFlow.Tests.Graph.Trees;
using DurableFlow.Contracts;

namespace DurableFlow.Tests.Reliability;

/// <summary>
/// Determinism of the production orchestrator (<see cref="TreeOrchestration.RunAsync"/>): a live run on a
/// mocked context records every action it takes and every result it was given (a history); replaying that
/// history on a fresh context — step by step, or all at once as Durable's replay does — must produce the
/// identical action sequence.
/// </summary>
public sealed class ReplayTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Parallel branches, a failure with a skip cascade, a flaky task with retries, a timeout
    /// with a late result, an optional dependency, a parallelism cap.</summary>
    private static TaskTree Scenario() => new(null, null, 4, false,
    [
        T("a", 0),
        T("b", 1),
        T("flaky") with { Retry = new RetrySettings(3, 2, 2) },
        T("slow", 2) with { TimeoutSeconds = 30 },
        T("c", Req("a"), Req("b")),
        T("broken", Req("a")),
        T("after_broken", Req("broken")),
        T("d", Opt("slow")),
        T("e", Req("flaky"), Req("c")),
    ]);

    /// <summary>A result the orchestrator received: the k-th activity call or the k-th timer, and the
    /// orchestration clock at that moment.</summary>
    private sealed record HistoryEvent(string Kind, int Index, DateTime Now, TaskRunResultV1? Result);

    private static TaskRunResultV1 Outcome(TaskRunRequestV1 request) => request.TaskId switch
    {
        "broken" => TaskRunResultV1.Failure("broken: disk full"),
        "flaky" when request.Attempt < 3 => TaskRunResultV1.Failure($"flaky attempt {request.Attempt}"),
        _ => TaskRunResultV1.Success(JsonSerializer.SerializeToElement(new { task = request.TaskId, attempt = request.Attempt, saw = request.DependencyResults.Keys.Order().ToArray() })),
    };

    /// <summary>Runs the scenario live: each step delivers the oldest deliverable activity result (the slow
    /// task's only after its timeout fired), else fires the earliest timer. Returns the actions, the
    /// history, and how many actions existed after each event.</summary>
    private static (List<string> Actions, List<HistoryEvent> History, List<int> ActionsAfter, TreeRunOutcomeV1 Outcome) Live(TaskTree tree)
    {
        var context = new ReplayContext();
        using var orchestration = new TreeOrchestration(context.Mock.Object);
        var run = orchestration.RunAsync(new TreeRunInputV1("tree-r", "alice", tree.ToWire(), T0));
        var history = new List<HistoryEvent>();
        var after = new List<int>();
        for (var step = 0; !run.IsCompleted; step++)
        {
            Assert.True(step < 500, "the live run does not finish");
            HistoryEvent e;
            var activity = context.Activities.FindIndex(a => !a.Completion.Task.IsCompleted && a.Request.TaskId != "slow");
            var timer = context.Timers.FindIndex(t => !t.Completion.Task.IsCompleted && t.FireAt == context.Timers.Where(x => !x.Completion.Task.IsCompleted).Min(x => x.FireAt));
            if (activity >= 0)
            {
                var call = context.Activities[activity];
                e = new HistoryEvent("activity", activity, context.Now.AddSeconds(1), Outcome(call.Request));
            }
            else if (timer >= 0)
            {
                var fireAt = context.Timers[timer].FireAt;
                e = new HistoryEvent("timer", timer, fireAt > context.Now ? fireAt : context.Now, null);
            }
            else
            {
                // Only the slow task's activity is left: its result arrives late, after its timeout.
                var late = context.Activities.FindIndex(a => !a.Completion.Task.IsCompleted);
                Assert.True(late >= 0, "nothing to deliver, yet the run is not finished");
                e = new HistoryEvent("activity", late, context.Now.AddSeconds(1), Outcome(context.Activities[late].Request));
            }

            history.Add(e);
            Deliver(context, e, history.Count - 1);
            after.Add(context.Actions.Count);
        }

        return (context.Actions, history, after, run.GetAwaiter().GetResult());
    }

    /// <summary>Replays <paramref name="history"/> on a fresh context; given the live run's actions
    /// (<paramref name="live"/>, <paramref name="liveAfter"/>), compares the actions after every event.</summary>
    private static (List<string> Actions, TreeRunOutcomeV1 Outcome) Replay(TaskTree tree, List<HistoryEvent> history, List<string>? live = null, List<int>? liveAfter = null)
    {
        var context = new ReplayContext();
        using var orchestration = new TreeOrchestration(context.Mock.Object);
        var run = orchestration.RunAsync(new TreeRunInputV1("tree-r", "alice", tree.ToWire(), T0));
        for (var i = 0; i < history.Count; i++)
        {
            Deliver(context, history[i], i);

            if (live is not null)
            {
                Assert.Equal(liveAfter![i], context.Actions.Count);
                Assert.Equal(live.Take(liveAfter[i]), context.Actions);
            }
        }

        Assert.True(run.IsCompleted, "the replay did not finish on the recorded history");
        return (context.Actions, run.GetAwaiter().GetResult());
    }

    /// <summary>Delivers one history event: the clock moves to its time, then the activity result or the
    /// timer arrives (continuations run inline, one event at a time, as Durable's replay runs them).</summary>
    private static void Deliver(ReplayContext context, HistoryEvent e, int position)
    {
        context.Now = e.Now;
        if (e.Kind == "activity")
        {
            Assert.True(e.Index < context.Activities.Count, $"event {position}: activity #{e.Index} was never scheduled");
            context.Activities[e.Index].Completion.SetResult(e.Result!);
        }
        else
        {
            Assert.True(e.Index < context.Timers.Count, $"event {position}: timer #{e.Index} was never created");
            context.Timers[e.Index].Completion.SetResult();
        }
    }

    [Fact]
    public void The_live_run_exercises_failures_retries_a_timeout_and_parallel_branches()
    {
        var (actions, history, _, outcome) = Live(Scenario());

        Assert.Equal(TreeStatus.Failed, outcome.Status);
        Assert.Equal(new TaskCounts(0, 0, 6, 2, 1, 0), outcome.Counts.ToDomain());
        Assert.Equal(3, actions.Count(a => a.StartsWith("activity RunTask ", StringComparison.Ordinal) && a.Contains("\"TaskId\":\"flaky\"", StringComparison.Ordinal)));
        Assert.Contains(actions, a => a.StartsWith("signal ", StringComparison.Ordinal) && a.Contains("timed out after 30 s", StringComparison.Ordinal));
        Assert.Contains(actions, a => a.StartsWith("signal ", StringComparison.Ordinal) && a.Contains("required dependency \\u0027broken\\u0027 failed", StringComparison.Ordinal));
        Assert.Equal(3, actions.Count(a => a.StartsWith("timer ", StringComparison.Ordinal))); // two retry delays, one timeout
        Assert.StartsWith("activity RecordTreeOutcome ", actions[^1], StringComparison.Ordinal);
        // The first step dispatches four tasks in parallel (the cap) before any result.
        Assert.Equal(4, actions.TakeWhile(a => !a.StartsWith("signal ", StringComparison.Ordinal)).Count(a => a.StartsWith("activity RunTask ", StringComparison.Ordinal)));
        Assert.Contains(history, e => e.Kind == "timer");
    }

    [Fact]
    public void Replaying_the_history_step_by_step_repeats_every_action_in_order()
    {
        var tree = Scenario();
        var (live, history, after, outcome) = Live(tree);

        var (replayed, replayOutcome) = Replay(tree, history, live, after);

        Assert.Equal(live, replayed);
        Assert.Equal(outcome, replayOutcome);
    }

    [Fact]
    public void Replaying_the_whole_history_at_once_repeats_every_action_in_order()
    {
        var tree = Scenario();
        var (live, history, _, outcome) = Live(tree);

        var (replayed, replayOutcome) = Replay(tree, history);

        Assert.Equal(live.Count, replayed.Count);
        for (var i = 0; i < live.Count; i++)
        {
            Assert.True(live[i] == replayed[i], $"action {i} differs:\n live:   {live[i]}\n replay: {replayed[i]}");
        }

        Assert.Equal(outcome, replayOutcome);
    }

    [Fact]
    public void A_different_history_gives_different_actions_so_the_comparison_can_fail()
    {
        var tree = Scenario();
        var (live, history, _, _) = Live(tree);
        var firstFlaky = history.FindIndex(e => e.Result is { Succeeded: false, Error: "flaky attempt 1" });
        var changed = history.ToList();
        changed[firstFlaky] = changed[firstFlaky] with { Result = TaskRunResultV1.Success(JsonSerializer.SerializeToElement(1)) };

        var context = new ReplayContext();
        using var orchestration = new TreeOrchestration(context.Mock.Object);
        _ = orchestration.RunAsync(new TreeRunInputV1("tree-r", "alice", tree.ToWire(), T0));
        for (var i = 0; i <= firstFlaky; i++)
        {
            Deliver(context, changed[i], i);
        }

        Assert.NotEqual(live.Take(context.Actions.Count), context.Actions);
    }

    /// <summary>A mocked orchestration context that logs every action, in order, as text.</summary>
    private sealed class ReplayContext
    {
        private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

        public ReplayContext()
        {
            Mock = new Mock<TaskOrchestrationContext> { CallBase = true };
            Mock.SetupGet(c => c.InstanceId).Returns("tree-r");
            Mock.SetupGet(c => c.IsReplaying).Returns(false);
            Mock.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now);
            Mock.Setup(c => c.CallActivityAsync<object>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
                .Returns<TaskName, object?, TaskOptions?>((name, input, _) =>
                {
                    Actions.Add($"activity {name.Name} {JsonSerializer.Serialize(input, Json)}");
                    return Task.FromResult<object>(null!);
                });
            Mock.Setup(c => c.CallActivityAsync<TaskRunResultV1>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
                .Returns<TaskName, object?, TaskOptions?>((name, input, options) =>
                {
                    Actions.Add($"activity {name.Name} {JsonSerializer.Serialize(input, Json)} options={options?.Retry is not null}");
                    var call = new Call((TaskRunRequestV1)input!, Now);
                    Activities.Add(call);
                    return call.Completion.Task;
                });
            Mock.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
                .Returns<DateTime, CancellationToken>((fireAt, token) =>
                {
                    Actions.Add($"timer {fireAt.ToString("O", CultureInfo.InvariantCulture)}");
                    var timer = new Timer(fireAt);
                    token.Register(() => timer.Completion.TrySetCanceled());
                    Timers.Add(timer);
                    return timer.Completion.Task;
                });
            Mock.Setup(c => c.WaitForExternalEvent<object?>(It.IsAny<string>(), It.IsAny<CancellationToken>()))
                .Returns<string, CancellationToken>((name, token) =>
                {
                    Actions.Add($"wait {name}");
                    var wait = new TaskCompletionSource<object?>();
                    token.Register(() => wait.TrySetCanceled());
                    return wait.Task;
                });
            Mock.Setup(c => c.SetCustomStatus(It.IsAny<object?>()))
                .Callback<object?>(status => Actions.Add($"status {JsonSerializer.Serialize(status, Json)}"));

            var entities = new Mock<TaskOrchestrationEntityFeature>();
            entities.Setup(e => e.SignalEntityAsync(It.IsAny<EntityInstanceId>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<SignalEntityOptions?>()))
                .Returns<EntityInstanceId, string, object?, SignalEntityOptions?>((id, operation, input, _) =>
                {
                    Actions.Add($"signal {id} {operation} {JsonSerializer.Serialize(input, Json)}");
                    return Task.CompletedTask;
                });
            Mock.SetupGet(c => c.Entities).Returns(entities.Object);
        }

        public Mock<TaskOrchestrationContext> Mock { get; }

        public DateTime Now { get; set; } = T0;

        public List<string> Actions { get; } = [];

        public List<Call> Activities { get; } = [];

        public List<Timer> Timers { get; } = [];

        public sealed record Call(TaskRunRequestV1 Request, DateTime ScheduledAt)
        {
            public TaskCompletionSource<TaskRunResultV1> Completion { get; } = new();
        }

        public sealed class Timer(DateTime fireAt)
        {
            public DateTime FireAt { get; } = fireAt;

            public TaskCompletionSource Completion { get; } = new();
        }
    }
}
