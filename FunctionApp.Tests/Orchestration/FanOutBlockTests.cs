using DurableFlow.Contracts;
using DurableFlow.Graph;
using DurableFlow.Orchestration;
using DurableFlow.Status;
using Microsoft.DurableTask;
using static DurableFlow.Testing.Trees;

namespace DurableFlow.Tests.Orchestration;

/// <summary>Wide releases in fan-out blocks: who runs what, what the tree's orchestration still records, cancel.</summary>
public sealed class FanOutBlockTests : IDisposable
{
    private const int Shards = 6;
    private readonly FakeOrchestrationContext _context = new();
    private TreeOrchestration? _orchestration;

    public void Dispose() => _orchestration?.Dispose();

    private Task<TreeRunOutcomeV1> Start(TaskTree tree, int blockSize = 100)
    {
        _orchestration = new TreeOrchestration(_context.Mock.Object);
        var input = new TreeRunInputV1("tree-1", "alice", tree.ToWire(), _context.Now, MaxDependencyResultsBytes: 1024 * 1024,
            Layout: new StatusLayoutV1(Shards, 1024), FanOutBlockSize: blockSize);
        return _orchestration.RunAsync(input);
    }

    private static TaskTree RootAndLeaves(int leaves) =>
        Tree([T("root"), .. Enumerable.Range(0, leaves).Select(i => T($"leaf{i}", Req("root")))]);

    [Fact]
    public async Task A_wide_release_goes_to_even_blocks_filled_shard_by_shard_with_the_shared_result_once()
    {
        var run = Start(RootAndLeaves(250));
        _context.Succeed("root", "{\"seed\":42}");

        Assert.Equal(["root"], _context.Started); // no leaf runs as the tree's own activity
        Assert.Equal(3, _context.Blocks.Count);
        Assert.Equal(["tree-1|r1|b0", "tree-1|r1|b1", "tree-1|r1|b2"], _context.Blocks.Select(b => b.InstanceId));
        Assert.All(_context.Blocks, b => Assert.InRange(b.Input.Tasks.Count, 83, 84));
        Assert.Equal(250, _context.Blocks.SelectMany(b => b.Input.Tasks).Select(t => t.Id).Distinct().Count());
        Assert.All(_context.Blocks, b => Assert.Equal(42, Assert.Single(b.Input.Results).Value.GetProperty("seed").GetInt32()));
        var shardsInOrder = _context.Blocks.SelectMany(b => b.Input.Tasks).Select(t => TaskShards.Of(t.Id, Shards)).ToList();
        Assert.Equal(shardsInOrder.Order(), shardsInOrder); // shard after shard: a block writes to few shards

        foreach (var block in _context.Blocks)
        {
            block.Succeed();
        }

        var outcome = await run;
        Assert.Equal((TreeStatus.Completed, 251), (outcome.Status, outcome.Counts.Completed));
    }

    [Fact]
    public async Task The_blocks_record_their_tasks_ends_so_the_tree_sends_only_releases_and_counts()
    {
        var run = Start(RootAndLeaves(150));
        _context.Succeed("root");
        _context.Now += TimeSpan.FromSeconds(2);
        foreach (var block in _context.Blocks)
        {
            block.Succeed();
        }

        await run;
        var sent = _context.EntityMessages.Where(m => m.Input is StatusUpdateV1).SelectMany(m => ((StatusUpdateV1)m.Input!).Changes).ToList();
        Assert.DoesNotContain(sent, c => c.TaskId.StartsWith("leaf", StringComparison.Ordinal) && c.Status.IsTerminal());
        Assert.Equal(150, sent.Count(c => c.TaskId.StartsWith("leaf", StringComparison.Ordinal) && c.Status == TaskRunStatus.InProgress));
        var last = _context.EntityMessages.Select(m => m.Input).OfType<TreeSummaryUpdateV1>().Last();
        Assert.Equal((TreeStatus.Completed, 151), (last.TreeStatus, last.Counts.Completed));
    }

    [Fact]
    public async Task At_most_a_thousand_tasks_of_blocks_are_queued_at_once_and_each_ending_block_starts_the_next()
    {
        var run = Start(RootAndLeaves(2_500));
        _context.Succeed("root");
        Assert.Equal(10, _context.Blocks.Count); // 25 blocks of 100; 10 queued at once

        _context.Blocks[3].Succeed();
        Assert.Equal(11, _context.Blocks.Count);
        while (_context.Blocks.Any(b => !b.Completion.Task.IsCompleted))
        {
            _context.Blocks.First(b => !b.Completion.Task.IsCompleted).Succeed();
            Assert.True(_context.Blocks.Count(b => !b.Completion.Task.IsCompleted) <= 10);
        }

        var outcome = await run;
        Assert.Equal((25, TreeStatus.Completed, 2_501), (_context.Blocks.Count, outcome.Status, outcome.Counts.Completed));
    }

    [Fact]
    public async Task A_narrow_release_runs_as_the_trees_own_activities()
    {
        var run = Start(RootAndLeaves(100));
        _context.Succeed("root");
        Assert.Empty(_context.Blocks);
        Assert.Equal(101, _context.Activities.Count);
        foreach (var i in Enumerable.Range(0, 100))
        {
            _context.Succeed($"leaf{i}");
        }

        await run;
    }

    [Fact]
    public async Task Cancel_reaches_the_running_blocks_and_a_failed_block_fails_its_tasks_with_why()
    {
        var run = Start(RootAndLeaves(200), blockSize: 100);
        _context.Succeed("root");
        Assert.Equal(2, _context.Blocks.Count);

        _context.Events[TreeOrchestration.CancelEvent].SetResult(null);
        Assert.Equal([("tree-1|r1|b0", TreeOrchestration.CancelEvent), ("tree-1|r1|b1", TreeOrchestration.CancelEvent)], _context.SentEvents);

        _context.Blocks[0].Succeed();
        _context.Blocks[1].Completion.SetException(new TaskFailedException("TaskBlockOrchestrator", 7, new InvalidOperationException("boom")));
        var outcome = await run;

        Assert.Equal((TreeStatus.Cancelled, 101, 100), (outcome.Status, outcome.Counts.Completed, outcome.Counts.Failed));
        var failed = _context.EntityMessages.Where(m => m.Input is StatusUpdateV1).SelectMany(m => ((StatusUpdateV1)m.Input!).Changes)
            .Where(c => c.Status == TaskRunStatus.Failed).ToList();
        Assert.Equal(100, failed.Count);
        Assert.All(failed, c => Assert.StartsWith("its fan-out block tree-1|r1|b1 failed", c.Error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_block_runs_its_tasks_records_their_ends_in_their_shards_and_returns_them()
    {
        var context = new FakeOrchestrationContext("tree-1|r1|b0");
        using var block = new TaskBlockOrchestration(context.Mock.Object);
        var tasks = Enumerable.Range(0, 8).Select(i => T($"t{i}", Req("root")).ToWire()).ToList();
        var run = block.RunAsync(new TaskBlockInputV1("tree-1", 1, false, new StatusLayoutV1(Shards, 64), tasks,
            new Dictionary<string, System.Text.Json.JsonElement> { ["root"] = Json("{\"v\":1}") }));

        Assert.Equal(8, context.Activities.Count);
        Assert.All(context.Activities, a => Assert.Equal(1, a.Request.DependencyResults["root"].GetProperty("v").GetInt32()));
        foreach (var i in Enumerable.Range(0, 7))
        {
            context.Succeed($"t{i}");
        }

        context.Succeed("t7", "{\"big\":\"" + new string('x', 100) + "\"}");
        var result = await run;

        Assert.Equal(8, result.Outcomes.Count(o => o.Result.Succeeded));
        var calls = context.EntityMessages.Where(m => m.Call).ToList();
        Assert.Equal(TaskResultEntity.IdFor("tree-1", "t7"), calls[0].Id);
        var shardCalls = calls.Skip(1).ToList();
        Assert.Equal(tasks.Select(t => TaskShards.Of(t.Id, Shards)).Distinct().Count(), shardCalls.Count);
        var recorded = shardCalls.SelectMany(m => ((StatusUpdateV1)m.Input!).Changes).ToList();
        Assert.Equal(8, recorded.Count(c => c.Status == TaskRunStatus.Completed));
        Assert.True(recorded.Single(c => c.TaskId == "t7" && c.Status == TaskRunStatus.Completed).ResultApart);
    }
}
