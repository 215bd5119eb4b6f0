using System.Text;
using DurableFlow.Api;
using DurableFlow.Tests.Api;
using DurableFlow.Tests.Storage;
using Moq;

namespace DurableFlow.Tests.Reliability;

/// <summary>
/// Users behind App Service authentication (the plain id header, and the base64 principal) never see,
/// list, cancel or overwrite another user's tree; a refusal reveals nothing about it.
/// </summary>
public sealed class IsolationTests(TableStorageFixture storage) : IClassFixture<TableStorageFixture>
{
    public static TheoryData<string> PrincipalForms => new() { "id header", "encoded principal" };

    private static Dictionary<string, string> As(string form, string userId) => form == "id header"
        ? ApiHarness.As(userId)
        : new Dictionary<string, string>
        {
            [CallerIdentity.PrincipalHeader] = Convert.ToBase64String(Encoding.UTF8.GetBytes(
                $"{{\"auth_typ\":\"aad\",\"claims\":[{{\"typ\":\"name\",\"val\":\"Someone\"}},{{\"typ\":\"http://schemas.microsoft.com/identity/claims/objectidentifier\",\"val\":\"{userId}\"}}]}}")),
        };

    private static string SecretTree(string treeId, string secret) =>
        ApiHarness.Tree(treeId, tasks: $"[{{\"id\":\"{secret}-task\",\"name\":\"echo_executor\",\"inputs\":{{\"text\":\"{secret}\"}}}}]");

    [Theory]
    [MemberData(nameof(PrincipalForms))]
    public async Task A_user_never_sees_lists_cancels_or_overwrites_another_users_tree(string form)
    {
        var h = new ApiHarness(storage.CreateIndex());
        var alice = Entries.NewUserId("alice");
        var bob = Entries.NewUserId("bob");
        var secret = "s" + Guid.NewGuid().ToString("N")[..12];
        var bobTree = Entries.NewTreeId("bob");
        var aliceTree = Entries.NewTreeId("alice");
        Assert.Equal(202, (await h.SubmitAsync(SecretTree(bobTree, secret), As(form, bob))).Status);
        Assert.Equal(202, (await h.SubmitAsync(ApiHarness.Tree(aliceTree), As(form, alice))).Status);

        void AssertReveals_nothing(ApiResponse response)
        {
            var text = response.Body.GetRawText();
            Assert.DoesNotContain(bob, text, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        // The owner sees it (so the refusals below are about ownership, not a broken read).
        Assert.Equal(200, (await h.GetTreeAsync(bobTree, headers: As(form, bob))).Status);
        Assert.Equal(200, (await h.GetTaskAsync(bobTree, secret + "-task", As(form, bob))).Status);

        // Read: 404, as if there were no such tree, even when naming the owner in the query.
        foreach (var query in new string?[] { null, "user_id=" + Uri.EscapeDataString(bob) })
        {
            var tree = await h.GetTreeAsync(bobTree, query, As(form, alice));
            Assert.Equal((404, "not_found"), (tree.Status, tree.ErrorCode));
            AssertReveals_nothing(tree);
        }

        var task = await h.GetTaskAsync(bobTree, secret + "-task", As(form, alice));
        Assert.Equal((404, "not_found"), (task.Status, task.ErrorCode));
        AssertReveals_nothing(task);

        // List: only her own trees; asking for bob's is 403.
        var list = await h.ListAsync(headers: As(form, alice));
        Assert.Equal(200, list.Status);
        Assert.Equal([aliceTree], list.Body.GetProperty("trees").EnumerateArray().Select(t => t.GetProperty("tree_id").GetString()));
        var forbidden = await h.ListAsync("user_id=" + Uri.EscapeDataString(bob), As(form, alice));
        Assert.Equal((403, "forbidden_user"), (forbidden.Status, forbidden.ErrorCode));
        AssertReveals_nothing(forbidden);

        // Cancel: 404 and no event reaches bob's orchestration.
        var cancel = await h.CancelAsync(bobTree, As(form, alice));
        Assert.Equal((404, "not_found"), (cancel.Status, cancel.ErrorCode));
        AssertReveals_nothing(cancel);
        h.Client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);

        // Overwrite: the same tree id (even with bob's exact body) is 409 without bob's data, and bob's tree stays his.
        foreach (var body in new[] { SecretTree(bobTree, secret), ApiHarness.Tree(bobTree) })
        {
            var taken = await h.SubmitAsync(body, As(form, alice));
            Assert.Equal((409, "tree_exists"), (taken.Status, taken.ErrorCode));
            AssertReveals_nothing(taken);
        }

        Assert.Equal(bob, (await h.Index.GetAsync(bobTree))!.UserId);
        Assert.Equal(2, h.ScheduleCalls);

        // Bob can cancel his own tree: the event is raised exactly once, for his tree.
        Assert.Equal(202, (await h.CancelAsync(bobTree, As(form, bob))).Status);
        h.Client.Verify(c => c.RaiseEventAsync(bobTree, "cancel", It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Once);
        h.Client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Without_a_principal_a_query_user_id_of_another_user_finds_nothing()
    {
        var h = new ApiHarness(storage.CreateIndex());
        var bob = Entries.NewUserId("bob");
        var bobTree = Entries.NewTreeId("bob");
        Assert.Equal(202, (await h.SubmitAsync(ApiHarness.Tree(bobTree, bob))).Status);

        var other = await h.GetTreeAsync(bobTree, "user_id=someone-else");
        Assert.Equal((404, "not_found"), (other.Status, other.ErrorCode));
        var list = await h.ListAsync("user_id=someone-else");
        Assert.Equal(0, list.Body.GetProperty("trees").GetArrayLength());
    }
}
