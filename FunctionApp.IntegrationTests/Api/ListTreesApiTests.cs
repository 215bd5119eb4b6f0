using Azure;
using DurableFlow.Graph;
using DurableFlow.Storage;
using DurableFlow.Tests.Storage;
using Moq;

namespace DurableFlow.Tests.Api;

public sealed class ListTreesApiTests(TableStorageFixture storage) : IClassFixture<TableStorageFixture>
{
    private async Task<(ApiHarness Harness, string User, List<string> Ids)> FiveTreesAsync()
    {
        var h = new ApiHarness(storage.CreateIndex());
        var user = Entries.NewUserId();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var id = $"list-{i}-{Guid.NewGuid():N}";
            Assert.Equal(202, (await h.SubmitAsync(ApiHarness.Tree(id, user))).Status);
            ids.Add(id);
            h.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        return (h, user, ids);
    }

    [Fact]
    public async Task Trees_are_listed_newest_first_in_pages()
    {
        var (h, user, ids) = await FiveTreesAsync();
        var seen = new List<string>();
        string? next = $"user_id={Uri.EscapeDataString(user)}&limit=2";
        var pages = 0;
        while (next is not null)
        {
            var page = await h.ListAsync(next);
            Assert.Equal(200, page.Status);
            pages++;
            var trees = page.Body.GetProperty("trees").EnumerateArray().ToList();
            Assert.InRange(trees.Count, 1, 2);
            Assert.All(trees, t => Assert.Equal(user, t.GetProperty("user_id").GetString()));
            Assert.All(trees, t => Assert.Equal("pending", t.GetProperty("status").GetString()));
            seen.AddRange(trees.Select(t => t.GetProperty("tree_id").GetString()!));
            var token = page.Body.GetProperty("continuation").GetString();
            next = token is null ? null : page.Body.GetProperty("next").GetString()!.Split('?', 2)[1];
        }

        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Reverse(ids), seen);
    }

    [Fact]
    public async Task The_status_filter_keeps_matching_trees()
    {
        var (h, user, ids) = await FiveTreesAsync();
        await h.Index.RecordOutcomeAsync(new TreeOutcomeUpdate(ids[1], 1, TreeStatus.Completed, new TaskCounts(0, 0, 3, 0, 0, 0), h.Clock.GetUtcNow()));

        var completed = await h.ListAsync($"user_id={Uri.EscapeDataString(user)}&status=completed");
        var tree = Assert.Single(completed.Body.GetProperty("trees").EnumerateArray());
        Assert.Equal(ids[1], tree.GetProperty("tree_id").GetString());
        Assert.Equal(1.0, tree.GetProperty("progress").GetDouble());
        Assert.Equal(3, tree.GetProperty("counts").GetProperty("completed").GetInt32());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, tree.GetProperty("completed_at").ValueKind);

        var pending = await h.ListAsync($"user_id={Uri.EscapeDataString(user)}&status=pending");
        Assert.Equal(4, pending.Body.GetProperty("trees").GetArrayLength());
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=501")]
    [InlineData("limit=ten")]
    [InlineData("limit=-1")]
    [InlineData("status=done")]
    [InlineData("continuation=not-a-token")]
    [InlineData("user_id=a/b")]
    [InlineData("limit=1&limit=2")]
    public async Task Bad_query_parameters_are_400_invalid_request(string query)
    {
        var h = new ApiHarness(storage.CreateIndex());
        var response = await h.ListAsync(query);
        Assert.Equal(400, response.Status);
        Assert.Equal("invalid_request", response.ErrorCode);
    }

    [Fact]
    public async Task A_continuation_for_another_filter_is_400()
    {
        var (h, user, _) = await FiveTreesAsync();
        var first = await h.ListAsync($"user_id={Uri.EscapeDataString(user)}&limit=2");
        var token = first.Body.GetProperty("continuation").GetString()!;
        var response = await h.ListAsync($"user_id={Uri.EscapeDataString(user)}&status=completed&continuation={Uri.EscapeDataString(token)}");
        Assert.Equal(400, response.Status);
    }

    [Fact]
    public async Task With_a_principal_only_the_callers_trees_are_listed()
    {
        var h = new ApiHarness(storage.CreateIndex());
        var me = Entries.NewUserId("me");
        var them = Entries.NewUserId("them");
        var mine = Entries.NewTreeId();
        Assert.Equal(202, (await h.SubmitAsync(ApiHarness.Tree(mine), ApiHarness.As(me))).Status);
        Assert.Equal(202, (await h.SubmitAsync(ApiHarness.Tree(Entries.NewTreeId()), ApiHarness.As(them))).Status);

        var list = await h.ListAsync(headers: ApiHarness.As(me));
        var only = Assert.Single(list.Body.GetProperty("trees").EnumerateArray());
        Assert.Equal(mine, only.GetProperty("tree_id").GetString());

        var forbidden = await h.ListAsync($"user_id={Uri.EscapeDataString(them)}", ApiHarness.As(me));
        Assert.Equal(403, forbidden.Status);
        Assert.Equal("forbidden_user", forbidden.ErrorCode);
    }

    [Fact]
    public async Task Executors_are_listed_with_their_inputs()
    {
        var h = new ApiHarness(storage.CreateIndex());
        var response = await ApiHarness.RunAsync(Task.FromResult(h.Api.ListExecutors()));
        Assert.Equal(200, response.Status);
        var executor = Assert.Single(response.Body.GetProperty("executors").EnumerateArray());
        Assert.Equal(ApiHarness.Executor, executor.GetProperty("name").GetString());
        Assert.Equal("Echoes its inputs.", executor.GetProperty("description").GetString());
        var input = Assert.Single(executor.GetProperty("inputs").EnumerateArray());
        Assert.Equal(("text", "string", false), (input.GetProperty("name").GetString(), input.GetProperty("type").GetString(), input.GetProperty("required").GetBoolean()));
    }

    [Fact]
    public async Task Health_is_200_when_storage_answers_and_503_when_it_does_not()
    {
        var h = new ApiHarness(storage.CreateIndex());
        var healthy = await ApiHarness.RunAsync(h.Api.HealthAsync(CancellationToken.None));
        Assert.Equal(200, healthy.Status);
        Assert.Equal("healthy", healthy.Body.GetProperty("status").GetString());
        Assert.True(healthy.Body.GetProperty("storage").GetProperty("reachable").GetBoolean());

        var broken = new Mock<ITreeIndex>();
        broken.Setup(i => i.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException("connection refused"));
        var down = new ApiHarness(broken.Object);
        var unhealthy = await ApiHarness.RunAsync(down.Api.HealthAsync(CancellationToken.None));
        Assert.Equal(503, unhealthy.Status);
        Assert.False(unhealthy.Body.GetProperty("storage").GetProperty("reachable").GetBoolean());
    }

    [Fact]
    public async Task Storage_failures_in_a_route_are_503_with_an_error_body()
    {
        var broken = new Mock<ITreeIndex>();
        broken.Setup(i => i.ListAsync(It.IsAny<string>(), It.IsAny<TreeStatus?>(), It.IsAny<int>(), It.IsAny<string?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException("connection refused"));
        var h = new ApiHarness(broken.Object);
        var response = await h.ListAsync();
        Assert.Equal(503, response.Status);
        Assert.Equal("service_unavailable", response.ErrorCode);
    }
}
