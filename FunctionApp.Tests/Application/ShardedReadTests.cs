using DurableFlow.Api;
using DurableFlow.Application;
using DurableFlow.Contracts;
using DurableFlow.Graph;
using DurableFlow.Records;
using DurableFlow.Storage;
using Moq;
using static DurableFlow.Testing.Trees;

namespace DurableFlow.Tests.Application;

/// <summary>Reads of a sharded tree: what each read costs (entity reads counted) and what it shows.</summary>
public class ShardedReadTests
{
    private const int TaskCount = 130;
    private const int Shards = 3;
    private static readonly DateTime T0 = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly Mock<ITreeRuns> _runs = new();
    private readonly Mock<ITreeIndex> _index = new();
    private readonly TreeIndexEntry _entry;
    private readonly TreeStatusStateV1 _summary;

    public ShardedReadTests()
    {
        var tasks = Enumerable.Range(0, TaskCount).Select(i => T($"t{i:D3}").ToWire()).ToList();
        var byShard = tasks.Select((t, i) => (Task: t, Index: i)).GroupBy(p => TaskShards.Of(p.Task.Id, Shards));
        foreach (var group in byShard)
        {
            var start = new RunStartV1("t1", "alice", T0, group.Select(p => p.Task).ToList(), null, group.Select(p => p.Index).ToList());
            var records = TaskRecords.Start([], start, "2026-03-01T12:00:00.0000000Z");
            // Every task completed but t005, which runs; t010's result is kept apart.
            TaskRecords.Apply(records, records.Where(r => r.Id != "t005").Select(r => r.Id == "t010"
                ? new TaskStatusChangeV1(r.Id, TaskRunStatus.Completed, 1) { ResultApart = true }
                : new TaskStatusChangeV1(r.Id, TaskRunStatus.Completed, 1, Json($"{{\"n\":\"{r.Id}\"}}"))).ToList(), "2026-03-01T12:00:05.0000000Z");
            TaskRecords.Apply(records, [new TaskStatusChangeV1("t005", TaskRunStatus.InProgress, 1)], "2026-03-01T12:00:01.0000000Z");
            var state = new TaskShardStateV1 { TreeId = "t1", Run = 1, Tasks = records };
            _runs.Setup(r => r.ReadShardAsync("t1", group.Key, It.IsAny<CancellationToken>())).ReturnsAsync(state);
        }

        _runs.Setup(r => r.ReadResultAsync("t1", "t010", It.IsAny<CancellationToken>())).ReturnsAsync(new TaskResultV1(1, Json("{\"big\":true}")));
        _runs.Setup(r => r.GetAsync("t1", It.IsAny<bool>(), It.IsAny<CancellationToken>())).ReturnsAsync(new TreeInstance(false, null));
        _summary = new TreeStatusStateV1
        {
            TreeId = "t1", UserId = "alice", Run = 1, Status = TreeStatus.InProgress, Shards = Shards, TaskCount = TaskCount,
            Counts = new TaskCountsV1(0, 1, TaskCount - 1, 0, 0, 0), Runs = [new RunSummaryV1 { Run = 1, Status = TreeStatus.InProgress }],
        };
        _runs.Setup(r => r.ReadStatusAsync("t1", It.IsAny<CancellationToken>())).ReturnsAsync(() => _summary);
        _entry = new TreeIndexEntry("t1", "alice", new DateTimeOffset(T0), null, TaskCount, TreeStatus.InProgress,
            new TaskCounts(TaskCount, 0, 0, 0, 0, 0), 1, "hash", TreeIndexState.Started, Shards: Shards);
        _index.Setup(i => i.GetAsync("t1", It.IsAny<CancellationToken>())).ReturnsAsync(() => _entry);
    }

    private TreeReader Reader() => new(_index.Object, new TreeAccess(_index.Object),
        new TreeReconciliation(_index.Object, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<TreeReconciliation>.Instance));

    private int ShardReads => _runs.Invocations.Count(i => i.Method.Name == nameof(ITreeRuns.ReadShardAsync));

    [Fact]
    public async Task The_summary_reads_no_task_record()
    {
        var result = await Reader().GetTreeAsync("t1", "alice", TreeReadView.Summary, withResults: false, _runs.Object, CancellationToken.None);

        var tree = Assert.IsType<TreeView>(result.Body);
        Assert.Null(tree.Tasks);
        Assert.Equal((TaskCount, TaskCount - 1, "in_progress"), (tree.TaskCount, tree.Counts.Completed, tree.Status));
        Assert.Equal(0, ShardReads);
    }

    [Fact]
    public async Task One_task_costs_one_shard_read_and_its_result_kept_apart_is_read_back()
    {
        var result = await Reader().GetTaskAsync("t1", "t010", "alice", _runs.Object, CancellationToken.None);

        var task = Assert.IsType<TaskView>(result.Body);
        Assert.True(task.Result!.Value.GetProperty("big").GetBoolean());
        Assert.Equal(1, ShardReads);
        _runs.Verify(r => r.ReadStatusAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        Assert.Equal(404, (await Reader().GetTaskAsync("t1", "nope", "alice", _runs.Object, CancellationToken.None)).StatusCode);
    }

    [Fact]
    public async Task Pages_followed_by_their_continuation_return_every_task_once_reading_few_shards_each()
    {
        var seen = new List<string>();
        var from = TaskPageToken.First;
        var pages = 0;
        while (true)
        {
            var before = ShardReads;
            var result = await Reader().GetTasksAsync("t1", "alice", from, 40, null, withResults: false, _runs.Object, CancellationToken.None);
            var page = Assert.IsType<TaskPageResponse>(result.Body);
            Assert.InRange(page.Tasks.Count, 1, 40);
            Assert.All(page.Tasks, t => Assert.Null(t.Result));
            Assert.InRange(ShardReads - before, 1, 2);
            seen.AddRange(page.Tasks.Select(t => t.Id));
            pages++;
            if (page.Continuation is null)
            {
                Assert.Null(page.Links.Next);
                break;
            }

            Assert.Contains("continuation=" + Uri.EscapeDataString(page.Continuation), page.Links.Next, StringComparison.Ordinal);
            Assert.True(TaskPageToken.TryParse(page.Continuation, out from));
        }

        Assert.InRange(pages, 4, 6);
        Assert.Equal(Enumerable.Range(0, TaskCount).Select(i => $"t{i:D3}"), seen.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_status_filter_and_results_on_request()
    {
        var result = await Reader().GetTasksAsync("t1", "alice", TaskPageToken.First, 1000, new HashSet<TaskRunStatus> { TaskRunStatus.InProgress }, withResults: true, _runs.Object, CancellationToken.None);
        var page = Assert.IsType<TaskPageResponse>(result.Body);
        Assert.Equal(["t005"], page.Tasks.Select(t => t.Id));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, page.Tasks[0].Result!.Value.ValueKind);

        var all = Assert.IsType<TaskPageResponse>((await Reader().GetTasksAsync("t1", "alice", TaskPageToken.First, 1000, null, true, _runs.Object, CancellationToken.None)).Body);
        Assert.True(all.Tasks.Single(t => t.Id == "t010").Result!.Value.GetProperty("big").GetBoolean());
        Assert.Equal("t042", all.Tasks.Single(t => t.Id == "t042").Result!.Value.GetProperty("n").GetString());
    }

    [Fact]
    public async Task The_tree_read_carries_the_whole_small_tree_in_submission_order_without_results()
    {
        var result = await Reader().GetTreeAsync("t1", "alice", TreeReadView.Flat, withResults: false, _runs.Object, CancellationToken.None);

        var tree = Assert.IsType<TreeView>(result.Body);
        Assert.Equal(Enumerable.Range(0, TaskCount).Select(i => $"t{i:D3}"), tree.Tasks!.Select(t => t.Id));
        Assert.Null(tree.TasksContinuation);
        Assert.All(tree.Tasks!, t => Assert.Null(t.Result));
        Assert.Equal("/api/trees/t1/tasks", tree.Links.Tasks);
    }

    [Fact]
    public async Task Once_the_run_ended_by_a_fault_a_record_its_shard_has_not_updated_reads_failed()
    {
        _summary.Status = TreeStatus.Failed;
        _summary.Error = "terminated: stuck";
        _summary.CompletedAt = "2026-03-01T12:01:00.0000000Z";

        var result = await Reader().GetTasksAsync("t1", "alice", TaskPageToken.First, 1000, new HashSet<TaskRunStatus> { TaskRunStatus.Failed }, false, _runs.Object, CancellationToken.None);

        var task = Assert.Single(Assert.IsType<TaskPageResponse>(result.Body).Tasks);
        Assert.Equal(("t005", "failed", "the run ended before this task finished: terminated: stuck"), (task.Id, task.Status, task.Error));
    }
}
