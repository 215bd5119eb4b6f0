using DurableFlow.Contracts;
using DurableFlow.Graph;
using DurableFlow.Orchestration;
using DurableFlow.Status;
using static DurableFlow.Testing.Trees;

namespace DurableFlow.Tests.Orchestration;

/// <summary>The orchestrator's status work under the sharded layout: changes go out at most once an interval,
/// each only to the shard of its task, large results apart, the summary small, the start and end confirmed.</summary>
public sealed class ShardedStatusTests : IDisposable
{
    private const int Shards = 3;
    private readonly FakeOrchestrationContext _context = new();
    private TreeOrchestration? _orchestration;

    public void Dispose() => _orchestration?.Dispose();

    private Task<TreeRunOutcomeV1> Start(TaskTree tree, int inlineResultBytes = 1024)
    {
        _orchestration = new TreeOrchestration(_context.Mock.Object);
        var input = new TreeRunInputV1("tree-1", "alice", tree.ToWire(), _context.Now, MaxDependencyResultsBytes: 1024 * 1024,
            Layout: new StatusLayoutV1(Shards, inlineResultBytes));
        var run = _orchestration.RunAsync(input);
        if (run.IsFaulted)
        {
            run.GetAwaiter().GetResult();
        }

        return run;
    }

    private static TaskTree Wide(int count) => Tree(Enumerable.Range(0, count).Select(i => T($"t{i}")).ToArray());

    private List<FakeOrchestrationContext.EntityMessage> ShardMessages(int from = 0) =>
        _context.EntityMessages.Skip(from).Where(m => string.Equals(m.Id.Name, TaskShardEntity.EntityName, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>Lets the pending flush timer fire an interval later.</summary>
    private void FireFlush()
    {
        var timer = _context.Timers.Last(t => !t.Completion.Task.IsCompleted);
        _context.Now = timer.FireAt;
        timer.Fire();
    }

    private List<TreeSummaryUpdateV1> Summaries() =>
        _context.EntityMessages.Where(m => m.Input is TreeSummaryUpdateV1).Select(m => (TreeSummaryUpdateV1)m.Input!).ToList();

    [Fact]
    public async Task The_start_gives_every_shard_its_outlines_and_waits_for_them_before_the_summary()
    {
        var run = Start(Wide(120));

        var starts = ShardMessages();
        Assert.Equal(Shards, starts.Count);
        Assert.All(starts, m => Assert.True(m.Call, "the start is confirmed, so the summary never runs ahead of the records"));
        var outlines = starts.SelectMany(m => ((StatusUpdateV1)m.Input!).Start!.Tasks.Select(t => (t.Id, Key: m.Id.Key))).ToList();
        Assert.Equal(120, outlines.Count);
        Assert.All(outlines, o => Assert.Equal(TaskShardEntity.IdFor("tree-1", TaskShards.Of(o.Id, Shards)).Key, o.Key));
        var positions = starts.SelectMany(m => ((StatusUpdateV1)m.Input!).Start!.Indexes!).Order().ToList();
        Assert.Equal(Enumerable.Range(0, 120), positions);

        var summary = Assert.Single(Summaries());
        Assert.NotNull(summary.Start);
        Assert.Empty(summary.Start!.Tasks);
        Assert.Equal((Shards, 120, 120), (summary.Shards, summary.TaskCount, summary.Counts.InProgress));
        Assert.True(_context.EntityMessages.IndexOf(_context.EntityMessages.Single(m => m.Input is TreeSummaryUpdateV1))
            > _context.EntityMessages.FindLastIndex(m => m.Call), "the summary goes out after the shards confirmed");

        foreach (var i in Enumerable.Range(0, 120))
        {
            _context.Succeed($"t{i}");
        }

        await run;
    }

    [Fact]
    public async Task Changes_wait_for_the_interval_then_reach_only_the_shard_of_their_task_stamped_with_their_step()
    {
        var run = Start(Wide(120));
        var stepTime = _context.Now;
        var before = _context.EntityMessages.Count;

        _context.Succeed("t7");
        Assert.Empty(_context.EntityMessages.Skip(before)); // within the interval of the start: kept
        var timer = Assert.Single(_context.Timers);
        Assert.Equal(stepTime + TreeOrchestration.TrailingFlushDelay, timer.FireAt);

        FireFlush();
        var message = Assert.Single(ShardMessages(before));
        Assert.False(message.Call);
        Assert.Equal(TaskShardEntity.IdFor("tree-1", TaskShards.Of("t7", Shards)), message.Id);
        var change = Assert.Single(((StatusUpdateV1)message.Input!).Changes);
        Assert.Equal(("t7", TaskRunStatus.Completed, (DateTime?)stepTime), (change.TaskId, change.Status, change.At));
        Assert.Equal(2, Summaries().Count);
        Assert.Equal(1, Summaries()[^1].Counts.Completed);

        foreach (var i in Enumerable.Range(0, 120).Where(i => i != 7))
        {
            _context.Succeed($"t{i}");
        }

        await run;
    }

    [Fact]
    public async Task A_large_result_is_kept_apart_and_confirmed_before_its_shard_hears_the_task_ended()
    {
        var run = Start(Tree(T("big"), T("small")), inlineResultBytes: 100);
        var before = _context.EntityMessages.Count;
        var large = "{\"blob\":\"" + new string('x', 500) + "\"}";

        _context.Succeed("big", large);
        FireFlush();

        var messages = _context.EntityMessages.Skip(before).ToList();
        var kept = messages[0];
        Assert.True(kept.Call);
        Assert.Equal(TaskResultEntity.IdFor("tree-1", "big"), kept.Id);
        Assert.Equal(TaskResultEntity.SetOperation, kept.Operation);
        Assert.Equal(500, ((TaskResultV1)kept.Input!).Result.GetProperty("blob").GetString()!.Length);
        var change = ((StatusUpdateV1)messages[1].Input!).Changes.Single();
        Assert.Equal((true, (System.Text.Json.JsonElement?)null), (change.ResultApart, change.Result));

        _context.Succeed("small", "{\"v\":1}");
        Assert.DoesNotContain(_context.EntityMessages.Skip(before + 3), m => string.Equals(m.Id.Name, TaskResultEntity.EntityName, StringComparison.OrdinalIgnoreCase));
        await run;
    }

    [Fact]
    public async Task The_end_confirms_every_shard_then_tells_the_summary()
    {
        var run = Start(Wide(120));
        foreach (var i in Enumerable.Range(0, 119))
        {
            _context.Succeed($"t{i}");
        }

        var before = _context.EntityMessages.Count;
        _context.Succeed("t119");
        var outcome = await run;

        var end = _context.EntityMessages.Skip(before).ToList();
        var sent = end.Where(m => !m.Call && m.Input is StatusUpdateV1).SelectMany(m => ((StatusUpdateV1)m.Input!).Changes).ToList();
        Assert.Equal(120, sent.Count(c => c.Status == TaskRunStatus.Completed)); // every buffered change goes out first
        var flushes = end.Where(m => m.Call).ToList();
        Assert.Equal(Shards, flushes.Count);
        Assert.Equal(Enumerable.Range(0, Shards).Select(s => TaskShardEntity.IdFor("tree-1", s)), flushes.Select(m => m.Id));
        var last = Assert.IsType<TreeSummaryUpdateV1>(end[^1].Input);
        Assert.Equal((TreeStatus.Completed, 120), (last.TreeStatus, last.Counts.Completed));
        Assert.True(end.FindIndex(m => m.Call) > end.FindLastIndex(m => !m.Call && m.Input is StatusUpdateV1), "the confirmations come behind the changes");
        Assert.Equal(TreeStatus.Completed, outcome.Status);
    }

    [Fact]
    public async Task A_step_an_interval_after_the_last_flush_goes_out_at_once_and_one_timer_serves_many_steps()
    {
        var run = Start(Tree(T("a"), T("b"), T("c"), T("d")));
        Assert.Single(Summaries());

        _context.Succeed("a");
        _context.Succeed("b"); // same interval: one timer, no message yet
        Assert.Single(_context.Timers);
        Assert.Single(Summaries());

        FireFlush();
        Assert.Equal((2, 2), (Summaries()[^1].Counts.Completed, Summaries()[^1].Counts.InProgress));

        _context.Now += TimeSpan.FromSeconds(5);
        _context.Succeed("c"); // an interval later: sent with its step, no timer
        Assert.Equal(3, Summaries().Count);
        Assert.Single(_context.Timers);

        _context.Succeed("d");
        await run;
        Assert.Equal(TreeStatus.Completed, Summaries()[^1].TreeStatus);
        Assert.True(_context.Timers.All(t => t.Completion.Task.IsCompleted), "no timer outlives the run");
    }

    [Fact]
    public async Task A_chain_of_quick_steps_flushes_about_once_an_interval_and_its_timer_is_never_due_sooner_than_two_intervals_away()
    {
        var run = Start(Tree([.. Enumerable.Range(0, 60).Select(i => i == 0 ? T("c0") : T($"c{i}", Req($"c{i - 1}")))]));
        var summariesBefore = Summaries().Count;
        foreach (var i in Enumerable.Range(0, 60))
        {
            _context.Now += TimeSpan.FromMilliseconds(60); // a hop of a fast chain
            foreach (var due in _context.Timers.Where(t => !t.Completion.Task.IsCompleted && t.FireAt <= _context.Now).ToList())
            {
                due.Fire(); // as the host would: a timer fires once its time has come
            }

            _context.Succeed($"c{i}");
            Assert.All(_context.Timers, t => Assert.True(t.FireAt >= t.CreatedAt + (2 * TreeOrchestration.StatusInterval),
                $"a timer created at {t.CreatedAt:HH:mm:ss.fff} due at {t.FireAt:HH:mm:ss.fff} would fire at once on Azure Storage"));
        }

        await run;
        // 60 hops of 60 ms are 3.6 s: about four flushes and the end, not one per hop.
        Assert.InRange(Summaries().Count - summariesBefore, 3, 6);
    }

    [Fact]
    public async Task Status_bytes_per_step_do_not_grow_with_the_tree()
    {
        // The weight of what one completion sends to the status entities, in a small and a big tree.
        static async Task<long> StepBytesAsync(int tasks)
        {
            using var test = new ShardedStatusTests();
            var run = test.Start(Wide(tasks));
            var before = test._context.EntityMessages.Count;
            test._context.Succeed("t1");
            test.FireFlush();
            var bytes = test._context.EntityMessages.Skip(before).Sum(m => (long)System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(m.Input).Length);
            foreach (var i in Enumerable.Range(0, tasks).Where(i => i != 1))
            {
                test._context.Succeed($"t{i}");
            }

            await run;
            return bytes;
        }

        var (small, big) = (await StepBytesAsync(50), await StepBytesAsync(2_000));
        Assert.InRange(big - small, 0, 24); // the same messages; only the summary's counts have more digits
        Assert.InRange(small, 1, 2_000);
    }
}
