using System.Text;
using System.Text.Json;
using DurableFlow.Api;
using DurableFlow.Graph;
using DurableFlow.Orchestration;
using DurableFlow.Storage;
using DurableFlow.Tests.Storage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Moq;
using DurableFlow.Contracts;

namespace DurableFlow.Tests.Api;

public sealed class SubmitTreeApiTests(TableStorageFixture storage) : IClassFixture<TableStorageFixture>
{
    private ApiHarness NewHarness(TreeApiOptions? options = null) => new(storage.CreateIndex(), options);

    private static string NewId() => Entries.NewTreeId();

    [Fact]
    public async Task A_valid_tree_is_accepted_indexed_and_started()
    {
        var h = NewHarness();
        var id = NewId();
        var response = await h.SubmitAsync(ApiHarness.Tree(id, "alice"));

        Assert.Equal(202, response.Status);
        Assert.Equal($"/api/trees/{id}", response.Headers.Location.ToString());
        Assert.Equal(id, response.Body.GetProperty("tree_id").GetString());
        Assert.Equal("pending", response.Body.GetProperty("status").GetString());
        Assert.Equal(3, response.Body.GetProperty("task_count").GetInt32());
        Assert.Equal($"/api/trees/{id}", response.Body.GetProperty("links").GetProperty("self").GetString());
        Assert.Equal($"/api/trees/{id}/cancel", response.Body.GetProperty("links").GetProperty("cancel").GetString());

        Assert.Equal(1, h.ScheduleCalls);
        h.Client.Verify(c => c.ScheduleNewOrchestrationInstanceAsync(
            It.Is<TaskName>(n => n.Name == TreeOrchestration.Name), It.IsAny<object?>(),
            It.Is<StartOrchestrationOptions?>(o => o!.InstanceId == id), It.IsAny<CancellationToken>()), Times.Once);
        var input = h.Started[id];
        Assert.Equal(("alice", 1, 3), (input.UserId, input.Run, input.Tree.Tasks.Count));
        Assert.Equal(id, input.Tree.TreeId);

        var entry = await h.Index.GetAsync(id);
        Assert.NotNull(entry);
        Assert.Equal(TreeIndexState.Started, entry.State);
        Assert.Equal("alice", entry.UserId);
        Assert.Equal(3, entry.TaskCount);
    }

    [Fact]
    public async Task Without_a_tree_id_the_server_assigns_a_valid_one_and_the_user_defaults_to_anonymous()
    {
        var h = NewHarness();
        var response = await h.SubmitAsync(ApiHarness.Tree(null));

        Assert.Equal(202, response.Status);
        var id = response.Body.GetProperty("tree_id").GetString()!;
        Assert.True(TreeValidator.IsValidId(id));
        Assert.Equal(32, id.Length);
        Assert.Equal("anonymous", h.Started[id].UserId);
    }

    [Fact]
    public async Task An_identical_repeat_answers_200_and_starts_nothing_new_even_reformatted()
    {
        var h = NewHarness();
        var id = NewId();
        Assert.Equal(202, (await h.SubmitAsync(ApiHarness.Tree(id, "bob"))).Status);

        var same = await h.SubmitAsync(ApiHarness.Tree(id, "bob"));
        Assert.Equal(200, same.Status);
        Assert.Equal(id, same.Body.GetProperty("tree_id").GetString());
        Assert.Equal("pending", same.Body.GetProperty("status").GetString());

        // Whitespace, property order and a spelled-out default do not make it another tree.
        var reordered = "{ \"tasks\": [ {\"name\":\"echo_executor\",\"id\":\"a\",\"priority\":1,\"inputs\":{\"n\":1,\"text\":\"hi\"}},\n" +
            "{\"id\":\"b\",\"name\":\"echo_executor\",\"parent_id\":\"a\",\"dependencies\":[\"a\"]}," +
            "{\"id\":\"c\",\"name\":\"echo_executor\",\"parent_id\":\"b\",\"priority\":0,\"dependencies\":[{\"id\":\"b\"}]}],\n" +
            $"  \"user_id\": \"bob\", \"tree_id\": \"{id}\" }}";
        Assert.Equal(200, (await h.SubmitAsync(reordered)).Status);
        Assert.Equal(1, h.ScheduleCalls);
    }

    [Fact]
    public async Task The_same_tree_id_with_another_body_or_owner_is_409_tree_exists()
    {
        var h = NewHarness();
        var id = NewId();
        Assert.Equal(202, (await h.SubmitAsync(ApiHarness.Tree(id, "carol"))).Status);

        var other = await h.SubmitAsync(ApiHarness.Tree(id, "carol", "[{\"id\":\"x\",\"name\":\"echo_executor\"}]"));
        Assert.Equal(409, other.Status);
        Assert.Equal("tree_exists", other.ErrorCode);

        var otherUser = await h.SubmitAsync(ApiHarness.Tree(id, "mallory"));
        Assert.Equal(409, otherUser.Status);
        Assert.Equal("tree_exists", otherUser.ErrorCode);
        Assert.DoesNotContain("carol", otherUser.Body.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(1, h.ScheduleCalls);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "{\"tasks\": [", ValidationCodes.InvalidJson },
        { "[1,2]", ValidationCodes.InvalidRequest },
        { "{\"tasks\": [{\"id\":\"a\",\"name\":\"echo_executor\",\"dependecies\":[]}]}", ValidationCodes.InvalidRequest },
        { "{\"tasks\": []}", ValidationCodes.EmptyTree },
        { "{\"tasks\": [{\"id\":\"a\",\"name\":\"nope_executor\"}]}", ValidationCodes.UnknownExecutor },
        { "{\"tasks\": [{\"id\":\"a b\",\"name\":\"echo_executor\"}]}", ValidationCodes.InvalidId },
        { "{\"tasks\": [{\"id\":\"a\",\"name\":\"echo_executor\",\"priority\":-1}]}", ValidationCodes.InvalidField },
        { "{\"tasks\": [{\"id\":\"a\",\"name\":\"echo_executor\"},{\"id\":\"a\",\"name\":\"echo_executor\"}]}", ValidationCodes.DuplicateTaskId },
        { "{\"tasks\": [{\"id\":\"a\",\"name\":\"echo_executor\",\"dependencies\":[\"zz\"]}]}", ValidationCodes.MissingDependency },
        { "{\"tasks\": [{\"id\":\"a\",\"name\":\"echo_executor\",\"dependencies\":[\"a\"]}]}", ValidationCodes.SelfDependency },
        { "{\"tasks\": [{\"id\":\"a\",\"name\":\"echo_executor\",\"parent_id\":\"q\"}]}", ValidationCodes.UnknownParent },
        { "{\"tree_id\":\"-bad\",\"tasks\": [{\"id\":\"a\",\"name\":\"echo_executor\"}]}", ValidationCodes.InvalidId },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_submissions_are_400_with_the_validation_code_and_store_and_start_nothing(string body, string code)
    {
        var table = "t" + Guid.NewGuid().ToString("N");
        var h = new ApiHarness(new TableTreeIndex(storage.Service!, table));
        var response = await h.SubmitAsync(body);

        Assert.Equal(400, response.Status);
        Assert.Equal(code, response.ErrorCode);
        Assert.False(string.IsNullOrEmpty(response.Body.GetProperty("error").GetProperty("message").GetString()));
        var detail = Assert.Single(response.Details.EnumerateArray());
        Assert.Equal(code, detail.GetProperty("code").GetString());
        if (code != ValidationCodes.InvalidJson)
        {
            Assert.StartsWith("$", detail.GetProperty("path").GetString());
        }
        Assert.Equal(0, h.ScheduleCalls);
        var tables = storage.Service!.Query(filter: $"TableName eq '{table}'").ToList();
        if (tables.Count > 0)
        {
            Assert.Empty(storage.Service.GetTableClient(table).Query<Azure.Data.Tables.TableEntity>().ToList());
            await storage.Service.DeleteTableAsync(table);
        }
    }

    [Fact]
    public async Task A_cycle_is_reported_with_its_ids_and_nulls_are_left_out_of_details()
    {
        var h = NewHarness();
        var id = NewId();
        var response = await h.SubmitAsync(ApiHarness.Tree(id, tasks:
            "[{\"id\":\"a\",\"name\":\"echo_executor\",\"dependencies\":[\"b\"]},{\"id\":\"b\",\"name\":\"echo_executor\",\"dependencies\":[\"a\"]}]"));

        Assert.Equal(400, response.Status);
        Assert.Equal("cycle_detected", response.ErrorCode);
        var detail = Assert.Single(response.Details.EnumerateArray());
        Assert.Equal(3, detail.GetProperty("cycle").GetArrayLength());
        Assert.All(detail.EnumerateObject(), p => Assert.NotEqual(JsonValueKind.Null, p.Value.ValueKind));
        Assert.Null(await h.Index.GetAsync(id));
    }

    [Fact]
    public async Task Several_kinds_of_problems_are_validation_failed_with_every_detail()
    {
        var h = NewHarness();
        var response = await h.SubmitAsync("{\"tasks\": [{\"id\":\"a\",\"name\":\"nope\",\"dependencies\":[\"zz\"]}]}");

        Assert.Equal(400, response.Status);
        Assert.Equal("validation_failed", response.ErrorCode);
        var codes = response.Details.EnumerateArray().Select(d => d.GetProperty("code").GetString()).ToHashSet();
        Assert.Contains("unknown_executor", codes);
        Assert.Contains("missing_dependency", codes);
        var missing = response.Details.EnumerateArray().Single(d => d.GetProperty("code").GetString() == "missing_dependency");
        Assert.Equal("zz", missing.GetProperty("related_id").GetString());
    }

    [Fact]
    public async Task Limits_come_from_the_options()
    {
        var h = NewHarness(new TreeApiOptions { MaxTasks = 2 });
        var response = await h.SubmitAsync(ApiHarness.Tree(NewId()));
        Assert.Equal(400, response.Status);
        Assert.Equal("too_many_tasks", response.ErrorCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_by_Content_Length_is_413_without_reading_it()
    {
        var h = NewHarness(new TreeApiOptions { MaxRequestBytes = 100 });
        var stream = new CountingStream(new MemoryStream(new byte[5000]));
        var request = ApiHarness.Request("POST", contentType: "application/json", bodyStream: stream);
        request.ContentLength = 5000;
        var response = await ApiHarness.RunAsync(h.Api.SubmitAsync(request, h.Client.Object, CancellationToken.None));

        Assert.Equal(413, response.Status);
        Assert.Equal("payload_too_large", response.ErrorCode);
        Assert.Equal(0, stream.BytesRead);
        Assert.Equal(0, h.ScheduleCalls);
    }

    [Fact]
    public async Task A_streamed_body_over_the_limit_is_413_after_reading_at_most_limit_plus_one_bytes()
    {
        var h = NewHarness(new TreeApiOptions { MaxRequestBytes = 1000 });
        var id = NewId();
        var big = ApiHarness.Tree(id, tasks: "[{\"id\":\"a\",\"name\":\"echo_executor\",\"inputs\":{\"pad\":\"" + new string('x', 100_000) + "\"}}]");
        var stream = new CountingStream(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        var request = ApiHarness.Request("POST", contentType: "application/json", bodyStream: stream);
        var response = await ApiHarness.RunAsync(h.Api.SubmitAsync(request, h.Client.Object, CancellationToken.None));

        Assert.Equal(413, response.Status);
        Assert.Equal("payload_too_large", response.ErrorCode);
        Assert.InRange(stream.BytesRead, 1001, 1001);
        Assert.Null(await h.Index.GetAsync(id));
    }

    [Fact]
    public async Task A_streamed_body_within_the_limit_is_read_whole()
    {
        var h = NewHarness(new TreeApiOptions { MaxRequestBytes = 100_000 });
        var id = NewId();
        var tree = ApiHarness.Tree(id, tasks: "[{\"id\":\"a\",\"name\":\"echo_executor\",\"inputs\":{\"pad\":\"" + new string('x', 60_000) + "\"}}]");
        var request = ApiHarness.Request("POST", tree, sendLength: false);
        var response = await ApiHarness.RunAsync(h.Api.SubmitAsync(request, h.Client.Object, CancellationToken.None));
        Assert.Equal(202, response.Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/json; charset=iso-8859-1")]
    [InlineData("not a media type")]
    public async Task A_non_JSON_content_type_is_415(string? contentType)
    {
        var h = NewHarness();
        var id = NewId();
        var request = ApiHarness.Request("POST", ApiHarness.Tree(id), contentType);
        var response = await ApiHarness.RunAsync(h.Api.SubmitAsync(request, h.Client.Object, CancellationToken.None));

        Assert.Equal(415, response.Status);
        Assert.Equal("unsupported_media_type", response.ErrorCode);
        Assert.Null(await h.Index.GetAsync(id));
        Assert.Equal(0, h.ScheduleCalls);
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("APPLICATION/JSON")]
    [InlineData("application/vnd.durableflow.tree+json")]
    public async Task JSON_content_types_are_accepted(string contentType)
    {
        var h = NewHarness();
        Assert.Equal(202, (await h.SubmitAsync(ApiHarness.Tree(NewId()), contentType: contentType)).Status);
    }

    [Fact]
    public async Task With_a_principal_the_principal_owns_the_tree_and_another_body_user_is_403()
    {
        var h = NewHarness();
        var id = NewId();
        var forbidden = await h.SubmitAsync(ApiHarness.Tree(id, "someone-else"), ApiHarness.As("dave"));
        Assert.Equal(403, forbidden.Status);
        Assert.Equal("forbidden_user", forbidden.ErrorCode);
        Assert.Null(await h.Index.GetAsync(id));

        Assert.Equal(202, (await h.SubmitAsync(ApiHarness.Tree(id), ApiHarness.As("dave"))).Status);
        Assert.Equal("dave", (await h.Index.GetAsync(id))!.UserId);
        Assert.Equal(200, (await h.SubmitAsync(ApiHarness.Tree(id, "dave"), ApiHarness.As("dave"))).Status);
    }

    [Fact]
    public async Task The_encoded_principal_header_is_read_by_userId_or_id_claim()
    {
        var h = NewHarness();
        var swa = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"identityProvider\":\"aad\",\"userId\":\"erin\",\"userRoles\":[]}"));
        var id1 = NewId();
        Assert.Equal(202, (await h.SubmitAsync(ApiHarness.Tree(id1), new Dictionary<string, string> { [CallerIdentity.PrincipalHeader] = swa })).Status);
        Assert.Equal("erin", h.Started[id1].UserId);

        var appService = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            "{\"auth_typ\":\"aad\",\"claims\":[{\"typ\":\"name\",\"val\":\"Frank\"},{\"typ\":\"http://schemas.microsoft.com/identity/claims/objectidentifier\",\"val\":\"oid-frank\"}]}"));
        var id2 = NewId();
        Assert.Equal(202, (await h.SubmitAsync(ApiHarness.Tree(id2), new Dictionary<string, string> { [CallerIdentity.PrincipalHeader] = appService })).Status);
        Assert.Equal("oid-frank", h.Started[id2].UserId);

        var garbage = await h.SubmitAsync(ApiHarness.Tree(NewId()), new Dictionary<string, string> { [CallerIdentity.PrincipalHeader] = "%%%" });
        Assert.Equal(400, garbage.Status);
        Assert.Equal("invalid_request", garbage.ErrorCode);
    }

    [Fact]
    public async Task When_the_start_fails_the_reservation_is_undone_and_the_answer_is_an_error_body()
    {
        var h = NewHarness();
        h.ScheduleFailure = new InvalidOperationException("backend down");
        var id = NewId();
        var response = await h.SubmitAsync(ApiHarness.Tree(id));

        Assert.Equal(500, response.Status);
        Assert.Equal("internal_error", response.ErrorCode);
        Assert.Null(await h.Index.GetAsync(id));

        // A retry once the backend is back starts it.
        h.ScheduleFailure = null;
        Assert.Equal(202, (await h.SubmitAsync(ApiHarness.Tree(id))).Status);
    }

    [Fact]
    public async Task A_stale_reservation_is_started_by_an_identical_repeat()
    {
        var h = NewHarness();
        var id = NewId();
        var parsed = TreeJson.Parse(ApiHarness.Tree(id));
        var hash = SubmissionHash.Compute(parsed.Tree! with { UserId = "anonymous" });
        var old = h.Clock.GetUtcNow() - TimeSpan.FromMinutes(5);
        await h.Index.TryAddAsync(new TreeIndexEntry(id, "anonymous", old, null, 3, TreeStatus.Pending, new TaskCounts(3, 0, 0, 0, 0, 0), 1, hash, TreeIndexState.Reserved));

        var response = await h.SubmitAsync(ApiHarness.Tree(id));

        Assert.Equal(200, response.Status);
        Assert.Equal(1, h.ScheduleCalls);
        Assert.Equal(TreeIndexState.Started, (await h.Index.GetAsync(id))!.State);
        Assert.Equal(old.UtcDateTime, h.Started[id].CreatedAt);
    }

    [Fact]
    public async Task A_fresh_reservation_is_left_to_the_request_that_made_it()
    {
        var h = NewHarness();
        var id = NewId();
        var hash = SubmissionHash.Compute(TreeJson.Parse(ApiHarness.Tree(id)).Tree! with { UserId = "anonymous" });
        await h.Index.TryAddAsync(new TreeIndexEntry(id, "anonymous", h.Clock.GetUtcNow(), null, 3, TreeStatus.Pending, new TaskCounts(3, 0, 0, 0, 0, 0), 1, hash, TreeIndexState.Reserved));

        Assert.Equal(200, (await h.SubmitAsync(ApiHarness.Tree(id))).Status);
        Assert.Equal(0, h.ScheduleCalls);
    }

    [Fact]
    public async Task Twenty_concurrent_identical_submissions_start_exactly_one_orchestration()
    {
        var h = NewHarness();
        var id = NewId();
        var body = ApiHarness.Tree(id, "grace");
        using var gate = new ManualResetEventSlim();
        var calls = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            gate.Wait();
            return await h.SubmitAsync(body);
        })).ToList();
        gate.Set();
        var responses = await Task.WhenAll(calls);

        Assert.Equal(1, h.ScheduleCalls);
        Assert.Equal(1, responses.Count(r => r.Status == 202));
        Assert.Equal(19, responses.Count(r => r.Status == 200));
        Assert.All(responses, r => Assert.Equal(id, r.Body.GetProperty("tree_id").GetString()));
        Assert.Equal(TreeIndexState.Started, (await h.Index.GetAsync(id))!.State);
    }
}

/// <summary>A read-only stream that counts the bytes handed out.</summary>
internal sealed class CountingStream(Stream inner) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        BytesRead += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        BytesRead += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
