using Azure.Data.Tables;
using DurableFlow.Graph;
using DurableFlow.Storage;

namespace DurableFlow.Tests.Storage;

public sealed class TableTreeIndexTests : IClassFixture<TableStorageFixture>
{
    private readonly TableStorageFixture _fixture;
    private readonly TableTreeIndex _index;

    public TableTreeIndexTests(TableStorageFixture fixture)
    {
        _ = fixture.ConnectionString; // fails the test with how-to-run when Azurite is not configured
        _fixture = fixture;
        _index = fixture.CreateIndex();
    }

    private async Task<TreeIndexEntry> AddStartedAsync(string treeId, string userId, DateTimeOffset createdAt)
    {
        var result = await _index.TryAddAsync(Entries.New(treeId, userId, createdAt));
        Assert.True(result.Added);
        Assert.True(await _index.MarkStartedAsync(treeId));
        return result.Entry with { State = TreeIndexState.Started };
    }

    private async Task<List<TreeIndexEntry>> ListAllAsync(string userId, TreeStatus? status = null, int limit = 500)
    {
        var all = new List<TreeIndexEntry>();
        string? token = null;
        do
        {
            var page = await _index.ListAsync(userId, status, limit, token);
            Assert.True(page.Items.Count <= limit);
            Assert.True(page.ContinuationToken is null || page.Items.Count == limit, "only the last page may be short");
            all.AddRange(page.Items);
            token = page.ContinuationToken;
        }
        while (token is not null);
        return all;
    }

    private async Task<List<TableEntity>> UserRowsAsync(string userId)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in _fixture.Table.QueryAsync<TableEntity>(e => e.PartitionKey == TreeIndexKeys.UserPartitionKey(userId)))
        {
            rows.Add(row);
        }

        return rows;
    }

    private async Task<TableEntity?> TreeRowAsync(string treeId)
    {
        var row = await _fixture.Table.GetEntityIfExistsAsync<TableEntity>(TreeIndexKeys.TreePartitionKey(treeId), TreeIndexKeys.TreeRowKey);
        return row.HasValue ? row.Value : null;
    }

    [Fact]
    public async Task Get_of_an_unknown_tree_is_null()
    {
        Assert.Null(await _index.GetAsync(Entries.NewTreeId()));
    }

    [Fact]
    public async Task TryAdd_then_Get_reads_the_entry_back()
    {
        var entry = Entries.New(Entries.NewTreeId(), Entries.NewUserId(), new DateTimeOffset(2026, 3, 4, 5, 6, 7, 890, TimeSpan.Zero), "sha256:abc", 7);

        var result = await _index.TryAddAsync(entry);

        Assert.True(result.Added);
        Assert.Null(result.Existing);
        Assert.Equal(entry, result.Entry);
        Assert.Equal(entry, await _index.GetAsync(entry.TreeId));
    }

    [Fact]
    public async Task Times_are_kept_in_utc_to_the_millisecond()
    {
        var local = new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)).AddTicks(1_234_567);
        var entry = Entries.New(Entries.NewTreeId(), Entries.NewUserId(), local);

        var added = await _index.TryAddAsync(entry);
        var read = await _index.GetAsync(entry.TreeId);

        var expected = new DateTimeOffset(2026, 3, 4, 3, 6, 7, 123, TimeSpan.Zero);
        Assert.Equal(expected, added.Entry.CreatedAt);
        Assert.Equal(TimeSpan.Zero, read!.CreatedAt.Offset);
        Assert.Equal(expected.UtcTicks, read.CreatedAt.UtcTicks);

        // The user row key derives from the kept time, so the tree is still found and deleted in full.
        Assert.True(await _index.MarkStartedAsync(entry.TreeId));
        Assert.Single((await _index.ListAsync(entry.UserId, null, 10, null)).Items);
        Assert.True(await _index.DeleteAsync(entry.TreeId));
        Assert.Empty(await UserRowsAsync(entry.UserId));
    }

    [Fact]
    public async Task TryAdd_of_a_taken_tree_id_returns_the_existing_entry()
    {
        var first = Entries.New(Entries.NewTreeId(), Entries.NewUserId(), requestHash: "first");
        Assert.True((await _index.TryAddAsync(first)).Added);

        var second = await _index.TryAddAsync(first with { UserId = Entries.NewUserId(), RequestHash = "second" });

        Assert.False(second.Added);
        Assert.Equal(first, second.Existing);
        Assert.Equal(first, second.Entry);
        Assert.Equal("first", (await _index.GetAsync(first.TreeId))!.RequestHash);
    }

    [Fact]
    public async Task Concurrent_identical_TryAdd_adds_exactly_once()
    {
        var entry = Entries.New(Entries.NewTreeId(), Entries.NewUserId());
        using var start = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, 20)
            .Select(_ => Task.Run(async () =>
            {
                start.Wait();
                return await _index.TryAddAsync(entry);
            }))
            .ToArray();
        start.Set();

        var results = await Task.WhenAll(calls);

        Assert.Single(results, r => r.Added);
        Assert.All(results, r => Assert.Equal(entry, r.Entry));
        Assert.Single(await UserRowsAsync(entry.UserId));
        Assert.NotNull(await TreeRowAsync(entry.TreeId));
    }

    [Fact]
    public async Task List_returns_the_users_trees_newest_first()
    {
        var user = Entries.NewUserId();
        var offsets = new[] { 3, 0, 4, 1, 2 };
        foreach (var minutes in offsets)
        {
            await AddStartedAsync(Entries.NewTreeId($"m{minutes}"), user, Entries.Epoch.AddMinutes(minutes));
        }

        var page = await _index.ListAsync(user, null, 10, null);

        Assert.Null(page.ContinuationToken);
        Assert.Equal(
            [Entries.Epoch.AddMinutes(4), Entries.Epoch.AddMinutes(3), Entries.Epoch.AddMinutes(2), Entries.Epoch.AddMinutes(1), Entries.Epoch],
            page.Items.Select(e => e.CreatedAt));
        Assert.All(page.Items, e => Assert.Equal(user, e.UserId));
    }

    [Fact]
    public async Task Paging_covers_every_tree_exactly_once()
    {
        var user = Entries.NewUserId();
        var added = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            added.Add((await AddStartedAsync(Entries.NewTreeId(), user, Entries.Epoch.AddSeconds(i))).TreeId);
        }

        // A tree with the same created_at as another is ordered by tree id, and still appears once.
        added.Add((await AddStartedAsync(Entries.NewTreeId(), user, Entries.Epoch.AddSeconds(3))).TreeId);

        var pages = new List<TreeIndexPage>();
        string? token = null;
        do
        {
            var page = await _index.ListAsync(user, null, 3, token);
            pages.Add(page);
            token = page.ContinuationToken;
        }
        while (token is not null);

        Assert.Equal([3, 3, 2], pages.Select(p => p.Items.Count));
        var listed = pages.SelectMany(p => p.Items).ToList();
        Assert.Equal(added.Order(StringComparer.Ordinal), listed.Select(e => e.TreeId).Order(StringComparer.Ordinal));
        Assert.Equal(listed.OrderByDescending(e => e.CreatedAt).ThenBy(e => e.TreeId, StringComparer.Ordinal), listed);
    }

    [Fact]
    public async Task A_page_exactly_at_the_end_has_no_continuation()
    {
        var user = Entries.NewUserId();
        for (var i = 0; i < 4; i++)
        {
            await AddStartedAsync(Entries.NewTreeId(), user, Entries.Epoch.AddSeconds(i));
        }

        var first = await _index.ListAsync(user, null, 2, null);
        var second = await _index.ListAsync(user, null, 2, first.ContinuationToken);

        Assert.NotNull(first.ContinuationToken);
        Assert.Equal(2, second.Items.Count);
        Assert.Null(second.ContinuationToken);
    }

    [Fact]
    public async Task Status_filter_lists_only_that_status_in_full_pages()
    {
        var user = Entries.NewUserId();
        var failed = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var tree = await AddStartedAsync(Entries.NewTreeId(), user, Entries.Epoch.AddSeconds(i));
            var status = i % 3 == 0 ? TreeStatus.Failed : TreeStatus.Completed;
            Assert.True(await _index.RecordOutcomeAsync(new(tree.TreeId, 1, status, new TaskCounts(0, 0, 2, 1, 0, 0), Entries.Epoch.AddHours(1))));
            if (status == TreeStatus.Failed)
            {
                failed.Add(tree.TreeId);
            }
        }

        var first = await _index.ListAsync(user, TreeStatus.Failed, 3, null);
        Assert.Equal(3, first.Items.Count);
        Assert.NotNull(first.ContinuationToken);

        var listed = await ListAllAsync(user, TreeStatus.Failed, 3);
        Assert.All(listed, e => Assert.Equal(TreeStatus.Failed, e.Status));
        Assert.Equal(failed.Order(StringComparer.Ordinal), listed.Select(e => e.TreeId).Order(StringComparer.Ordinal));
        Assert.Empty(await ListAllAsync(user, TreeStatus.Cancelled));
        Assert.Equal(8, (await ListAllAsync(user, TreeStatus.Completed, 5)).Count);
    }

    [Fact]
    public async Task Other_users_trees_are_never_listed()
    {
        var alice = Entries.NewUserId("alice");
        var bob = Entries.NewUserId("bob");
        var aliceTree = await AddStartedAsync(Entries.NewTreeId(), alice, Entries.Epoch);
        var bobTree = await AddStartedAsync(Entries.NewTreeId(), bob, Entries.Epoch);

        Assert.Equal([aliceTree.TreeId], (await ListAllAsync(alice)).Select(e => e.TreeId));
        Assert.Equal([bobTree.TreeId], (await ListAllAsync(bob)).Select(e => e.TreeId));
        Assert.Empty(await ListAllAsync(Entries.NewUserId("carol")));
    }

    [Fact]
    public async Task A_reserved_tree_is_read_but_not_listed_until_started()
    {
        var entry = Entries.New(Entries.NewTreeId(), Entries.NewUserId());
        await _index.TryAddAsync(entry);

        Assert.Equal(TreeIndexState.Reserved, (await _index.GetAsync(entry.TreeId))!.State);
        Assert.Empty((await _index.ListAsync(entry.UserId, null, 10, null)).Items);

        Assert.True(await _index.MarkStartedAsync(entry.TreeId));
        Assert.True(await _index.MarkStartedAsync(entry.TreeId));

        Assert.Equal(TreeIndexState.Started, (await _index.GetAsync(entry.TreeId))!.State);
        Assert.Equal([entry with { State = TreeIndexState.Started }], (await _index.ListAsync(entry.UserId, null, 10, null)).Items);
        Assert.False(await _index.MarkStartedAsync(Entries.NewTreeId()));
    }

    [Fact]
    public async Task RecordOutcome_sets_status_counts_and_completion_and_repeats_harmlessly()
    {
        var tree = await AddStartedAsync(Entries.NewTreeId(), Entries.NewUserId(), Entries.Epoch);
        Assert.True(await _index.UpdateStatusAsync(tree.TreeId, TreeStatus.InProgress, 1, new TaskCounts(1, 2, 0, 0, 0, 0)));
        var outcome = new TreeOutcomeUpdate(tree.TreeId, 1, TreeStatus.Failed, new TaskCounts(0, 0, 1, 1, 1, 0), Entries.Epoch.AddMinutes(5));

        Assert.True(await _index.RecordOutcomeAsync(outcome));
        var recorded = await _index.GetAsync(tree.TreeId);
        var etag = (await TreeRowAsync(tree.TreeId))!.ETag;
        Assert.True(await _index.RecordOutcomeAsync(outcome));

        var expected = tree with { Status = TreeStatus.Failed, Counts = outcome.Counts, CompletedAt = outcome.CompletedAt };
        Assert.Equal(expected, recorded);
        Assert.Equal(expected, await _index.GetAsync(tree.TreeId));
        Assert.Equal(etag, (await TreeRowAsync(tree.TreeId))!.ETag); // the repeat wrote nothing
        Assert.Equal([expected], (await _index.ListAsync(tree.UserId, null, 10, null)).Items);
    }

    [Fact]
    public async Task A_stale_run_never_overwrites_a_newer_run()
    {
        var tree = await AddStartedAsync(Entries.NewTreeId(), Entries.NewUserId(), Entries.Epoch);
        var run1 = new TreeOutcomeUpdate(tree.TreeId, 1, TreeStatus.Failed, new TaskCounts(0, 0, 2, 1, 0, 0), Entries.Epoch.AddMinutes(1));
        Assert.True(await _index.RecordOutcomeAsync(run1));

        // A rerun starts: run 2 in progress, completion cleared.
        Assert.True(await _index.UpdateStatusAsync(tree.TreeId, TreeStatus.InProgress, 2, new TaskCounts(1, 0, 2, 0, 0, 0)));
        var rerun = await _index.GetAsync(tree.TreeId);
        Assert.Equal((TreeStatus.InProgress, 2, (DateTimeOffset?)null), (rerun!.Status, rerun.Run, rerun.CompletedAt));

        // A late repeat of run 1's outcome and a late run 1 status change nothing.
        Assert.False(await _index.RecordOutcomeAsync(run1));
        Assert.False(await _index.UpdateStatusAsync(tree.TreeId, TreeStatus.Pending, 1));
        Assert.Equal(rerun, await _index.GetAsync(tree.TreeId));

        // Run 2 ends; a late in_progress of run 2 does not reopen it.
        var run2 = new TreeOutcomeUpdate(tree.TreeId, 2, TreeStatus.Completed, new TaskCounts(0, 0, 3, 0, 0, 0), Entries.Epoch.AddMinutes(9));
        Assert.True(await _index.RecordOutcomeAsync(run2));
        Assert.False(await _index.UpdateStatusAsync(tree.TreeId, TreeStatus.InProgress, 2));
        Assert.False(await _index.RecordOutcomeAsync(run1));

        var expected = tree with { Status = TreeStatus.Completed, Run = 2, Counts = run2.Counts, CompletedAt = run2.CompletedAt };
        Assert.Equal(expected, await _index.GetAsync(tree.TreeId));
        Assert.Equal([expected], (await _index.ListAsync(tree.UserId, null, 10, null)).Items);
    }

    [Fact]
    public async Task Racing_updates_settle_on_the_newest_run_in_both_rows()
    {
        var tree = await AddStartedAsync(Entries.NewTreeId(), Entries.NewUserId(), Entries.Epoch);
        var updates = Enumerable.Range(1, 8)
            .SelectMany(run => new Func<Task<bool>>[]
            {
                () => _index.UpdateStatusAsync(tree.TreeId, TreeStatus.InProgress, run),
                () => _index.RecordOutcomeAsync(new(tree.TreeId, run, TreeStatus.Completed, new TaskCounts(0, 0, run, 0, 0, 0), Entries.Epoch.AddMinutes(run))),
            })
            .Select(update => Task.Run(update));

        await Task.WhenAll(updates);

        var final = await _index.GetAsync(tree.TreeId);
        Assert.Equal(8, final!.Run);
        Assert.Equal(TreeStatus.Completed, final.Status);
        Assert.Equal(new TaskCounts(0, 0, 8, 0, 0, 0), final.Counts);
        Assert.Equal([final], (await _index.ListAsync(tree.UserId, null, 10, null)).Items);
    }

    [Fact]
    public async Task A_repeated_update_repairs_a_missing_user_row()
    {
        var tree = await AddStartedAsync(Entries.NewTreeId(), Entries.NewUserId(), Entries.Epoch);
        var outcome = new TreeOutcomeUpdate(tree.TreeId, 1, TreeStatus.Completed, new TaskCounts(0, 0, 3, 0, 0, 0), Entries.Epoch.AddMinutes(2));
        Assert.True(await _index.RecordOutcomeAsync(outcome));

        // As if the first attempt had died between the tree row and the user row write.
        var userRow = Assert.Single(await UserRowsAsync(tree.UserId));
        await _fixture.Table.DeleteEntityAsync(userRow.PartitionKey, userRow.RowKey);
        Assert.Empty((await _index.ListAsync(tree.UserId, null, 10, null)).Items);

        Assert.True(await _index.RecordOutcomeAsync(outcome));

        var stored = await _index.GetAsync(tree.TreeId);
        Assert.NotNull(stored);
        Assert.Equal([stored], (await _index.ListAsync(tree.UserId, null, 10, null)).Items);
    }

    [Fact]
    public async Task Updates_of_an_unknown_tree_return_false()
    {
        var treeId = Entries.NewTreeId();
        Assert.False(await _index.UpdateStatusAsync(treeId, TreeStatus.InProgress, 1));
        Assert.False(await _index.RecordOutcomeAsync(new(treeId, 1, TreeStatus.Completed, default, Entries.Epoch)));
        Assert.Null(await TreeRowAsync(treeId));
    }

    [Fact]
    public async Task Delete_removes_both_rows()
    {
        var user = Entries.NewUserId();
        var kept = await AddStartedAsync(Entries.NewTreeId(), user, Entries.Epoch);
        var deleted = await AddStartedAsync(Entries.NewTreeId(), user, Entries.Epoch.AddMinutes(1));

        Assert.True(await _index.DeleteAsync(deleted.TreeId));

        Assert.Null(await _index.GetAsync(deleted.TreeId));
        Assert.Null(await TreeRowAsync(deleted.TreeId));
        Assert.Equal([kept], (await _index.ListAsync(user, null, 10, null)).Items);
        Assert.Single(await UserRowsAsync(user));
        Assert.False(await _index.DeleteAsync(deleted.TreeId));

        // The id is free again.
        Assert.True((await _index.TryAddAsync(Entries.New(deleted.TreeId, user))).Added);
    }

    [Fact]
    public async Task Delete_undoes_a_reservation()
    {
        var entry = Entries.New(Entries.NewTreeId(), Entries.NewUserId());
        await _index.TryAddAsync(entry);

        Assert.True(await _index.DeleteAsync(entry.TreeId));

        Assert.Null(await _index.GetAsync(entry.TreeId));
        Assert.Empty(await UserRowsAsync(entry.UserId));
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("not base64 at all")]
    [InlineData("AQ")] // the format byte alone
    [InlineData("AQAAAAAAAAAAMDAwMDAwMDAwMDAwMDAwMDAwMHxh")] // format 1, zero checksum, "0000000000000000000|a"
    public async Task A_malformed_continuation_is_rejected(string token)
    {
        await Assert.ThrowsAsync<InvalidContinuationException>(() => _index.ListAsync(Entries.NewUserId(), null, 10, token));
    }

    [Fact]
    public async Task An_altered_or_misused_continuation_is_rejected()
    {
        var user = Entries.NewUserId();
        for (var i = 0; i < 3; i++)
        {
            await AddStartedAsync(Entries.NewTreeId(), user, Entries.Epoch.AddSeconds(i));
        }

        var token = (await _index.ListAsync(user, null, 1, null)).ContinuationToken!;
        var filtered = (await _index.ListAsync(user, TreeStatus.Pending, 1, null)).ContinuationToken!;
        var flipped = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

        foreach (var altered in new[] { token[..^3], token + "A", "x" + token, token + " ", flipped })
        {
            await Assert.ThrowsAsync<InvalidContinuationException>(() => _index.ListAsync(user, null, 1, altered));
        }

        // A token belongs to its user and filter.
        await Assert.ThrowsAsync<InvalidContinuationException>(() => _index.ListAsync(Entries.NewUserId(), null, 1, token));
        await Assert.ThrowsAsync<InvalidContinuationException>(() => _index.ListAsync(user, TreeStatus.Pending, 1, token));
        await Assert.ThrowsAsync<InvalidContinuationException>(() => _index.ListAsync(user, null, 1, filtered));

        Assert.Single((await _index.ListAsync(user, null, 1, token)).Items);
        Assert.Single((await _index.ListAsync(user, TreeStatus.Pending, 1, filtered)).Items);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(501)]
    public async Task A_limit_outside_1_to_500_is_rejected(int limit)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _index.ListAsync(Entries.NewUserId(), null, limit, null));
    }

    [Fact]
    public async Task User_ids_with_any_allowed_characters_are_kept_apart()
    {
        var suffix = Guid.NewGuid().ToString("N");
        string[] users =
        [
            "a" + suffix, "a" + suffix + " ", " a" + suffix, "a" + suffix + "b", "A" + suffix,
            "jo@example.com " + suffix, "Jöhn Dœ 日本 🎉 " + suffix, "'quoted' and \"double\" " + suffix,
            "percent%20 plus+ amp& " + suffix, new string('x', 220) + suffix,
        ];
        var trees = new Dictionary<string, string>();
        foreach (var user in users)
        {
            trees[user] = (await AddStartedAsync(Entries.NewTreeId(), user, Entries.Epoch)).TreeId;
        }

        foreach (var user in users)
        {
            var listed = await ListAllAsync(user);
            Assert.Equal([trees[user]], listed.Select(e => e.TreeId));
            Assert.Equal(user, listed[0].UserId);
            Assert.Equal(user, (await _index.GetAsync(trees[user]))!.UserId);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("has/slash")]
    [InlineData("has#hash")]
    [InlineData("tab\there")]
    [InlineData("del\u007f")]
    [InlineData(null)] // stands for a lone surrogate, which an attribute cannot carry
    public async Task A_user_id_that_could_break_a_key_is_rejected(string? userId)
    {
        userId ??= "lone \ud800 surrogate";
        await Assert.ThrowsAsync<ArgumentException>(() => _index.TryAddAsync(Entries.New(Entries.NewTreeId(), userId)));
        await Assert.ThrowsAsync<ArgumentException>(() => _index.ListAsync(userId, null, 10, null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("has/slash")]
    [InlineData("-leading")]
    public async Task A_tree_id_outside_the_id_rule_is_rejected(string treeId)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => _index.GetAsync(treeId));
        await Assert.ThrowsAsync<ArgumentException>(() => _index.TryAddAsync(Entries.New(treeId, Entries.NewUserId())));
    }

    [Fact]
    public async Task Statuses_go_to_the_right_method()
    {
        var treeId = Entries.NewTreeId();
        await Assert.ThrowsAsync<ArgumentException>(() => _index.UpdateStatusAsync(treeId, TreeStatus.Completed, 1));
        await Assert.ThrowsAsync<ArgumentException>(() => _index.RecordOutcomeAsync(new(treeId, 1, TreeStatus.InProgress, default, Entries.Epoch)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _index.UpdateStatusAsync(treeId, TreeStatus.InProgress, 0));
    }
}
