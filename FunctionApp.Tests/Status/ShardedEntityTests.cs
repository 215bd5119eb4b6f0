using DurableFlow.Contracts;
using DurableFlow.Graph;
using DurableFlow.Status;
using static DurableFlow.Testing.Trees;

namespace DurableFlow.Tests.Status;

/// <summary>The sharded layout's entities through <c>RunAsync</c>: a shard's records, the summary, a result kept apart.</summary>
public class ShardedEntityTests
{
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static RunStartV1 ShardStart(IReadOnlyList<string>? carried, params (string Id, int Index)[] tasks) =>
        new("tree-1", "alice", T0, tasks.Select(t => T(t.Id).ToWire()).ToList(), carried, tasks.Select(t => t.Index).ToList());

    private static TaskShardStateV1 Shard(EntityHarness shard) => (TaskShardStateV1)shard.State!;

    [Fact]
    public async Task A_shard_keeps_its_tasks_in_submission_order_and_applies_only_forward_moves()
    {
        var shard = new EntityHarness(() => new TaskShardEntity());
        await shard.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(1, T0, TreeStatus.InProgress,
            [new TaskStatusChangeV1("b", TaskRunStatus.InProgress)], ShardStart(null, ("b", 3), ("e", 9))));
        await shard.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(1, T0.AddSeconds(2), TreeStatus.InProgress,
            [new TaskStatusChangeV1("b", TaskRunStatus.Completed, 1, Json("{\"v\":1}"))]));
        // A repeated, late "in progress" must not move the ended record back.
        await shard.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(1, T0.AddSeconds(3), TreeStatus.InProgress,
            [new TaskStatusChangeV1("b", TaskRunStatus.InProgress)]));

        var state = Shard(shard);
        Assert.Equal(("tree-1", 1), (state.TreeId, state.Run));
        Assert.Equal([("b", 3), ("e", 9)], state.Tasks.Select(t => (t.Id, t.Index!.Value)));
        Assert.Equal((TaskRunStatus.Completed, 1, "2026-03-01T12:00:02.0000000Z"), (state.Tasks[0].Status, state.Tasks[0].Result!.Value.GetProperty("v").GetInt32(), state.Tasks[0].CompletedAt));
        Assert.Equal(TaskRunStatus.Pending, state.Tasks[1].Status);
    }

    [Fact]
    public async Task A_rerun_keeps_carried_records_resets_the_rest_and_ignores_the_old_runs_late_updates()
    {
        var shard = new EntityHarness(() => new TaskShardEntity());
        await shard.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(1, T0, TreeStatus.InProgress,
            [new TaskStatusChangeV1("a", TaskRunStatus.Completed, 1, Json("1")), new TaskStatusChangeV1("b", TaskRunStatus.Failed, 2, Error: "boom")],
            ShardStart(null, ("a", 0), ("b", 1))));

        await shard.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(2, T0.AddMinutes(1), TreeStatus.InProgress,
            [new TaskStatusChangeV1("b", TaskRunStatus.InProgress)], ShardStart(["a"], ("a", 0), ("b", 1))));
        await shard.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(1, T0.AddMinutes(2), TreeStatus.Failed,
            [new TaskStatusChangeV1("b", TaskRunStatus.Failed, 3, Error: "late")]));

        var state = Shard(shard);
        Assert.Equal(2, state.Run);
        Assert.Equal((TaskRunStatus.Completed, 1), (state.Tasks[0].Status, state.Tasks[0].Attempts));
        Assert.Equal((TaskRunStatus.InProgress, 3, (string?)null), (state.Tasks[1].Status, state.Tasks[1].Attempts, state.Tasks[1].Error));
    }

    [Fact]
    public async Task A_fault_fails_every_record_of_the_shard_not_ended()
    {
        var shard = new EntityHarness(() => new TaskShardEntity());
        await shard.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(1, T0, TreeStatus.InProgress,
            [new TaskStatusChangeV1("a", TaskRunStatus.Completed, 1, Json("1")), new TaskStatusChangeV1("b", TaskRunStatus.InProgress)],
            ShardStart(null, ("a", 0), ("b", 1), ("c", 2))));
        await shard.RunAsync(TreeStatusEntity.ApplyOperation, new StatusUpdateV1(1, T0.AddSeconds(9), TreeStatus.Failed, [], null, "terminated: stuck"));

        Assert.Equal([TaskRunStatus.Completed, TaskRunStatus.Failed, TaskRunStatus.Failed], Shard(shard).Tasks.Select(t => t.Status));
        Assert.Equal("the run ended before this task finished: terminated: stuck", Shard(shard).Tasks[2].Error);
    }

    [Fact]
    public async Task The_summary_holds_counts_never_records_and_ends_once()
    {
        var summary = new EntityHarness();
        var start = new RunStartV1("tree-1", "alice", T0, []);
        await summary.RunAsync(TreeStatusEntity.SummarizeOperation, new TreeSummaryUpdateV1(1, T0, TreeStatus.InProgress, new TaskCountsV1(10, 2, 0, 0, 0, 0), start, 3, 12));
        await summary.RunAsync(TreeStatusEntity.SummarizeOperation, new TreeSummaryUpdateV1(1, T0.AddSeconds(1), TreeStatus.InProgress, new TaskCountsV1(5, 2, 5, 0, 0, 0), null, 3, 12));
        await summary.RunAsync(TreeStatusEntity.SummarizeOperation, new TreeSummaryUpdateV1(1, T0.AddSeconds(4), TreeStatus.Completed, new TaskCountsV1(0, 0, 12, 0, 0, 0), null, 3, 12));
        // Late: a throttled progress update that arrives after the end changes nothing.
        await summary.RunAsync(TreeStatusEntity.SummarizeOperation, new TreeSummaryUpdateV1(1, T0.AddSeconds(3), TreeStatus.InProgress, new TaskCountsV1(1, 2, 9, 0, 0, 0), null, 3, 12));

        var state = summary.Tree!;
        Assert.Empty(state.Tasks);
        Assert.Equal((3, 12, 12), (state.Shards, state.TaskCount, state.Counts!.Value.Completed));
        Assert.Equal((TreeStatus.Completed, "2026-03-01T12:00:04.0000000Z"), (state.Status, state.CompletedAt));
        Assert.Equal((1, TreeStatus.Completed), (state.Runs.Single().Run, state.Runs.Single().Status));
        Assert.True(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(state).Length < 600, "the summary stays small");
    }

    [Fact]
    public async Task A_result_kept_apart_is_replaced_only_by_a_later_runs()
    {
        var result = new EntityHarness(() => new TaskResultEntity());
        await result.RunAsync(TaskResultEntity.SetOperation, new TaskResultV1(2, Json("\"second\"")));
        await result.RunAsync(TaskResultEntity.SetOperation, new TaskResultV1(1, Json("\"first, late\"")));

        Assert.Equal("second", ((TaskResultV1)result.State!).Result.GetString());
    }
}
