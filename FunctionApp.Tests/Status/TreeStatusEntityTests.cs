using DurableFlow.Graph;
using DurableFlow.Status;
using static DurableFlow.Testing.Trees;
using DurableFlow.Contracts;

namespace DurableFlow.Tests.Status;

/// <summary>The status entity through <c>RunAsync</c> with a mocked <c>TaskEntityOperation</c>.</summary>
public class TreeStatusEntityTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static RunStartV1 Start(params TaskDefinition[] tasks) => new("tree-1", "alice", T0, tasks.Select(t => t.ToWire()).ToList());

    private static StatusUpdateV1 Update(int seconds, TreeStatus tree, params TaskStatusChangeV1[] changes) =>
        new(1, T0.AddSeconds(seconds), tree, changes);

    [Fact]
    public async Task First_update_creates_pending_records_then_applies_its_changes()
    {
        var entity = new EntityHarness();
        await entity.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(1, T0.AddSeconds(1), TreeStatus.InProgress,
            [new TaskStatusChangeV1("a", TaskRunStatus.InProgress, 1)],
            Start(T("a") with { ParentId = null, Inputs = Json("{\"resource\":\"cpu\"}") }, T("b", 0, Req("a")) with { ParentId = "a" })));

        var state = entity.Tree!;
        Assert.Equal(("tree-1", "alice", 1, TreeStatus.InProgress), (state.TreeId, state.UserId, state.Run, state.Status));
        Assert.Equal("2026-03-01T12:00:00.0000000Z", state.CreatedAt);
        Assert.Equal("2026-03-01T12:00:01.0000000Z", state.StartedAt);
        var a = state.Tasks[0];
        Assert.Equal((TaskRunStatus.InProgress, 1, "2026-03-01T12:00:01.0000000Z"), (a.Status, a.Attempts, a.StartedAt));
        Assert.Equal("cpu", a.Inputs!.Value.GetProperty("resource").GetString());
        var b = state.Tasks[1];
        Assert.Equal((TaskRunStatus.Pending, "a", 0, "system_info_executor"), (b.Status, b.ParentId, b.Priority, b.Name));
        Assert.Equal([new TaskDependencyV1("a")], b.Dependencies);
    }

    [Fact]
    public async Task Terminal_changes_record_result_error_and_completion_time()
    {
        var entity = new EntityHarness();
        await entity.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(1, T0, TreeStatus.InProgress,
            [new TaskStatusChangeV1("a", TaskRunStatus.InProgress), new TaskStatusChangeV1("b", TaskRunStatus.InProgress)], Start(T("a"), T("b"))));
        await entity.RunAsync(TreeStatusEntity.ApplyOperation, Update(5, TreeStatus.Failed,
            new TaskStatusChangeV1("a", TaskRunStatus.Completed, 2, Json("{\"v\":1}")),
            new TaskStatusChangeV1("b", TaskRunStatus.Failed, 1, Error: "boom")));

        var state = entity.Tree!;
        Assert.Equal((TaskRunStatus.Completed, 2, 1.0), (state.Tasks[0].Status, state.Tasks[0].Attempts, state.Tasks[0].Progress));
        Assert.Equal(1, state.Tasks[0].Result!.Value.GetProperty("v").GetInt32());
        Assert.Equal((TaskRunStatus.Failed, "boom"), (state.Tasks[1].Status, state.Tasks[1].Error));
        Assert.Equal("2026-03-01T12:00:05.0000000Z", state.Tasks[1].CompletedAt);
        Assert.Equal((TreeStatus.Failed, "2026-03-01T12:00:05.0000000Z"), (state.Status, state.CompletedAt));
    }

    [Fact]
    public async Task A_terminal_change_records_when_the_executor_ran_apart_from_release_and_completion()
    {
        var entity = new EntityHarness();
        await entity.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(1, T0, TreeStatus.InProgress,
            [new TaskStatusChangeV1("a", TaskRunStatus.InProgress), new TaskStatusChangeV1("b", TaskRunStatus.InProgress)], Start(T("a"), T("b"))));
        await entity.RunAsync(TreeStatusEntity.ApplyOperation, Update(30, TreeStatus.Completed,
            new TaskStatusChangeV1("a", TaskRunStatus.Completed, 1, Json("1")) { RanAt = T0.AddSeconds(28), RanUntil = T0.AddSeconds(28.5) },
            new TaskStatusChangeV1("b", TaskRunStatus.Completed, 1, Json("2"))));

        var a = entity.Tree!.Tasks[0];
        Assert.Equal(("2026-03-01T12:00:00.0000000Z", "2026-03-01T12:00:30.0000000Z"), (a.StartedAt, a.CompletedAt));
        Assert.Equal(("2026-03-01T12:00:28.0000000Z", "2026-03-01T12:00:28.5000000Z"), (a.RanAt, a.RanUntil));
        // A change without times (an older orchestration's) leaves them unknown.
        Assert.Equal(((string?)null, (string?)null), (entity.Tree.Tasks[1].RanAt, entity.Tree.Tasks[1].RanUntil));
    }

    [Fact]
    public async Task Stale_and_repeated_updates_never_move_a_record_backwards()
    {
        var entity = new EntityHarness();
        var first = new StatusUpdateV1(1, T0, TreeStatus.InProgress, [new TaskStatusChangeV1("a", TaskRunStatus.InProgress)], Start(T("a")));
        await entity.RunAsync(TreeStatusEntity.ApplyOperation, first);
        await entity.RunAsync(TreeStatusEntity.ApplyOperation, Update(3, TreeStatus.Completed, new TaskStatusChangeV1("a", TaskRunStatus.Completed, 1, Json("1"))));
        await entity.RunAsync(TreeStatusEntity.ApplyOperation, first); // re-delivered first signal
        await entity.RunAsync(TreeStatusEntity.ApplyOperation, Update(4, TreeStatus.InProgress, new TaskStatusChangeV1("a", TaskRunStatus.InProgress)));
        await entity.RunAsync(TreeStatusEntity.ApplyOperation, Update(5, TreeStatus.Failed, new TaskStatusChangeV1("a", TaskRunStatus.Failed, Error: "late")));

        var a = entity.Tree!.Tasks.Single();
        Assert.Equal((TaskRunStatus.Completed, (string?)null, "2026-03-01T12:00:03.0000000Z"), (a.Status, a.Error, a.CompletedAt));
        Assert.Equal(TreeStatus.Completed, entity.Tree.Status);
    }

    [Fact]
    public async Task Changes_for_unknown_tasks_or_before_the_outline_are_ignored()
    {
        var entity = new EntityHarness();
        await entity.RunAsync(TreeStatusEntity.ApplyOperation, Update(1, TreeStatus.InProgress, new TaskStatusChangeV1("a", TaskRunStatus.InProgress)));
        Assert.Empty(entity.Tree!.Tasks);
        await entity.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(1, T0, TreeStatus.InProgress, [new TaskStatusChangeV1("ghost", TaskRunStatus.Completed)], Start(T("a"))));
        Assert.Equal(TaskRunStatus.Pending, entity.Tree.Tasks.Single().Status);
    }

    [Fact]
    public async Task Get_returns_the_whole_tree_in_one_read()
    {
        var entity = new EntityHarness();
        var tasks = Enumerable.Range(0, 100).Select(i => T($"t{i}")).ToArray();
        await entity.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(1, T0, TreeStatus.InProgress, [], Start(tasks)));
        var state = Assert.IsType<TreeStatusStateV1>(await entity.RunAsync("Get"));
        Assert.Equal(100, state.Tasks.Count);
    }

    [Fact]
    public async Task A_run_ended_by_a_fault_fails_the_tree_with_its_error_and_every_unfinished_task_and_a_rerun_clears_it()
    {
        var entity = new EntityHarness();
        await entity.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(1, T0, TreeStatus.InProgress,
            [new TaskStatusChangeV1("a", TaskRunStatus.InProgress)], Start(T("a"), T("b"), T("c"))));
        await entity.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(1, T0.AddSeconds(2), TreeStatus.Failed,
            [new TaskStatusChangeV1("b", TaskRunStatus.Completed, 1, Json("{}"))], Error: "the orchestration failed: boom"));

        var state = entity.Tree!;
        Assert.Equal((TreeStatus.Failed, "the orchestration failed: boom"), (state.Status, state.Error));
        Assert.Equal([TaskRunStatus.Failed, TaskRunStatus.Completed, TaskRunStatus.Failed], state.Tasks.Select(t => t.Status));
        Assert.Equal(DurableFlow.Application.RunFault.UnfinishedTaskError + "the orchestration failed: boom", state.Tasks[0].Error);
        Assert.Equal(TreeStatus.Failed, state.Runs[^1].Status);

        await entity.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(2, T0.AddSeconds(5), TreeStatus.InProgress, [], Start(T("a"), T("b"), T("c")) with { Carried = ["b"] }));
        Assert.Equal((TreeStatus.InProgress, (string?)null), (entity.Tree!.Status, entity.Tree.Error));
    }

    [Fact]
    public async Task A_fault_after_the_run_ended_changes_nothing()
    {
        var entity = new EntityHarness();
        await entity.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(1, T0, TreeStatus.Completed,
            [new TaskStatusChangeV1("a", TaskRunStatus.Completed, 1, Json("{}"))], Start(T("a"))));
        await entity.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(1, T0.AddSeconds(2), TreeStatus.Failed, [], Error: "terminated: late"));
        Assert.Equal((TreeStatus.Completed, (string?)null), (entity.Tree!.Status, entity.Tree.Error));
    }
}
