using DurableFlow.Api;
using DurableFlow.Storage;
using DurableFlow.Tests.Api;
using DurableFlow.Tests.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace DurableFlow.Tests.Reliability;

/// <summary>Concurrent submissions through the HTTP function against the real tree index on Azurite.</summary>
public sealed class ConcurrencyTests(TableStorageFixture storage) : IClassFixture<TableStorageFixture>
{
    [Fact]
    public async Task Fifty_concurrent_submissions_lose_nothing_duplicate_nothing_and_start_each_tree_once()
    {
        var h = new ApiHarness(storage.CreateIndex());
        var functions = new TreeApiFunctions(h.Api);
        var user = Entries.NewUserId("conc");
        var distinct = Enumerable.Range(0, 25).Select(i => Entries.NewTreeId($"d{i}")).ToList();
        var shared = Entries.NewTreeId("same");
        var bodies = distinct.Select(id => (Id: id, Body: ApiHarness.Tree(id, user)))
            .Concat(Enumerable.Range(0, 25).Select(_ => (Id: shared, Body: ApiHarness.Tree(shared, user))))
            .ToList();

        // An async gate (not a blocking one): 50 blocked pool threads would starve the pool on 2 cores.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = bodies.Select(b => Task.Run(async () =>
        {
            await gate.Task;
            var request = ApiHarness.Request("POST", b.Body);
            return (b.Id, Response: await ApiHarness.RunAsync(functions.SubmitTreeAsync(request, h.Client.Object, CancellationToken.None)));
        })).ToList();
        gate.SetResult();
        var answers = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(answers, a => Assert.InRange(a.Response.Status, 200, 202));
        Assert.All(answers, a => Assert.Equal(a.Id, a.Response.Body.GetProperty("tree_id").GetString()));
        Assert.All(answers.Where(a => a.Id != shared), a => Assert.Equal(202, a.Response.Status));
        var same = answers.Where(a => a.Id == shared).Select(a => a.Response.Status).ToList();
        Assert.Equal(1, same.Count(s => s == 202));
        Assert.Equal(24, same.Count(s => s == 200));

        // Exactly one orchestration start per tree id, counted on the mocked client's calls.
        var starts = h.Client.Invocations
            .Where(i => i.Method.Name == nameof(DurableTaskClient.ScheduleNewOrchestrationInstanceAsync))
            .Select(i => ((StartOrchestrationOptions?)i.Arguments[2])!.InstanceId!)
            .GroupBy(id => id)
            .ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(distinct.Append(shared).Order(), starts.Keys.Order());
        Assert.All(starts, s => Assert.Equal(1, s.Value));

        // Every tree has its index row, started, owned by the user; the user's list has each once.
        foreach (var id in distinct.Append(shared))
        {
            var entry = await h.Index.GetAsync(id);
            Assert.NotNull(entry);
            Assert.Equal((user, TreeIndexState.Started), (entry.UserId, entry.State));
        }

        var listed = await h.Index.ListAsync(user, null, 100, null);
        Assert.Equal(distinct.Append(shared).Order(), listed.Items.Select(e => e.TreeId).Order());
        Assert.Null(listed.ContinuationToken);
    }
}
