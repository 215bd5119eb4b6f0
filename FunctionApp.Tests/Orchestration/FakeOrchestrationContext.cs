using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Moq;
using Moq.Protected;
using DurableFlow.Contracts;

namespace DurableFlow.Tests.Orchestration;

/// <summary>
/// A Moq <see cref="TaskOrchestrationContext"/> whose activities, timers and external events are
/// completed by the test, so a test decides exactly when each task ends.
/// </summary>
internal sealed class FakeOrchestrationContext
{
    public FakeOrchestrationContext(string instanceId = "tree-1")
    {
        Mock = new Mock<TaskOrchestrationContext> { CallBase = true };
        Mock.SetupGet(c => c.InstanceId).Returns(instanceId);
        Mock.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now);
        Mock.Protected().SetupGet<Microsoft.Extensions.Logging.ILoggerFactory>("LoggerFactory").Returns(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        // Moq matches generic setups by assignability and the last matching setup wins: object first.
        Mock.Setup(c => c.CallActivityAsync<object>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns<TaskName, object?, TaskOptions?>((name, input, _) =>
            {
                OtherActivities.Add((name.Name, input));
                return Task.FromResult<object>(null!);
            });
        Mock.Setup(c => c.CallActivityAsync<TaskRunResultV1>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns<TaskName, object?, TaskOptions?>((name, input, _) =>
            {
                var call = new ActivityCall((TaskRunRequestV1)input!);
                Activities.Add(call);
                return call.Completion.Task;
            });
        Mock.Setup(c => c.CallSubOrchestratorAsync<TaskBlockResultV1>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns<TaskName, object?, TaskOptions?>((name, input, options) =>
            {
                var call = new BlockCall((TaskBlockInputV1)input!, (options as SubOrchestrationOptions)?.InstanceId);
                Blocks.Add(call);
                return call.Completion.Task;
            });
        Mock.Setup(c => c.SendEvent(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>()))
            .Callback<string, string, object>((instance, name, _) => SentEvents.Add((instance, name)));
        Mock.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns<DateTime, CancellationToken>((fireAt, token) =>
            {
                var timer = new Timer(fireAt, token) { CreatedAt = Now };
                Timers.Add(timer);
                return timer.Completion.Task;
            });
        Mock.Setup(c => c.WaitForExternalEvent<object?>(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns<string, CancellationToken>((name, token) =>
            {
                var wait = new TaskCompletionSource<object?>();
                token.Register(() => wait.TrySetCanceled());
                Events[name] = wait;
                return wait.Task;
            });
        Mock.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback<object?>(status => CustomStatus = status);

        var entities = new Mock<TaskOrchestrationEntityFeature>();
        entities.Setup(e => e.SignalEntityAsync(It.IsAny<EntityInstanceId>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<SignalEntityOptions?>()))
            .Returns<EntityInstanceId, string, object?, SignalEntityOptions?>((id, operation, input, _) =>
            {
                EntityMessages.Add(new EntityMessage(id, operation, input, Call: false));
                if (input is StatusUpdateV1 update)
                {
                    Signals.Add((id, operation, update));
                }

                return Task.CompletedTask;
            });
        entities.Setup(e => e.CallEntityAsync(It.IsAny<EntityInstanceId>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CallEntityOptions?>()))
            .Returns<EntityInstanceId, string, object?, CallEntityOptions?>((id, operation, input, _) =>
            {
                EntityMessages.Add(new EntityMessage(id, operation, input, Call: true));
                return Task.CompletedTask;
            });
        Mock.SetupGet(c => c.Entities).Returns(entities.Object);
    }

    public Mock<TaskOrchestrationContext> Mock { get; }

    public DateTime Now { get; set; } = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public List<ActivityCall> Activities { get; } = [];

    public List<(string Name, object? Input)> OtherActivities { get; } = [];

    public List<Timer> Timers { get; } = [];

    public List<BlockCall> Blocks { get; } = [];

    public List<(string InstanceId, string Name)> SentEvents { get; } = [];

    public Dictionary<string, TaskCompletionSource<object?>> Events { get; } = [];

    /// <summary>Status updates signalled (not called), to any entity.</summary>
    public List<(EntityInstanceId Id, string Operation, StatusUpdateV1 Update)> Signals { get; } = [];

    /// <summary>Every entity signal and call, in order.</summary>
    public List<EntityMessage> EntityMessages { get; } = [];

    public object? CustomStatus { get; private set; }

    public IEnumerable<string> Started => Activities.Select(a => a.Request.TaskId);

    /// <summary>The newest call for <paramref name="taskId"/> (its latest attempt).</summary>
    public ActivityCall Call(string taskId) =>
        Activities.LastOrDefault(a => a.Request.TaskId == taskId)
        ?? throw new InvalidOperationException($"task '{taskId}' was never started; started: [{string.Join(", ", Started)}]");

    public void Succeed(string taskId, string json = "{}") =>
        Call(taskId).Completion.SetResult(TaskRunResultV1.Success(DurableFlow.Testing.Trees.Json(json)));

    public void Fail(string taskId, string error = "boom") =>
        Call(taskId).Completion.SetResult(TaskRunResultV1.Failure(error));

    public sealed record BlockCall(TaskBlockInputV1 Input, string? InstanceId)
    {
        public TaskCompletionSource<TaskBlockResultV1> Completion { get; } = new();

        public void Succeed() => Completion.SetResult(new TaskBlockResultV1(
            Input.Tasks.Select(t => new TaskBlockOutcomeV1(t.Id, 1, TaskRunResultV1.Success(DurableFlow.Testing.Trees.Json("{}")))).ToList()));
    }

    public sealed record EntityMessage(EntityInstanceId Id, string Operation, object? Input, bool Call);

    public sealed record ActivityCall(TaskRunRequestV1 Request)
    {
        public TaskCompletionSource<TaskRunResultV1> Completion { get; } = new();
    }

    public sealed class Timer
    {
        public Timer(DateTime fireAt, CancellationToken token)
        {
            FireAt = fireAt;
            token.Register(() => Completion.TrySetCanceled());
        }

        public DateTime FireAt { get; }

        /// <summary>The orchestration time when the timer was created.</summary>
        public DateTime CreatedAt { get; init; }

        public TaskCompletionSource Completion { get; } = new();

        public bool Cancelled => Completion.Task.IsCanceled;

        public void Fire() => Completion.SetResult();
    }
}
