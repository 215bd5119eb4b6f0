using System.Text.Json;
using DurableFlow.Graph;
using DurableFlow.Storage;
using DurableFlow.Tests.Storage;
using Microsoft.DurableTask.Client;
using Moq;
using DurableFlow.Contracts;

namespace DurableFlow.Tests.Api;

public sealed class ReadTreeApiTests(TableStorageFixture storage) : IClassFixture<TableStorageFixture>
{
    private ApiHarness NewHarness() => new(storage.CreateIndex());

    private static async Task<string> SubmitAsync(ApiHarness h, string? user = null, IDictionary<string, string>? headers = null)
    {
        var id = Entries.NewTreeId();
        var response = await h.SubmitAsync(ApiHarness.Tree(id, user), headers);
        Assert.Equal(202, response.Status);
        return id;
    }

    private static TreeStatusStateV1 Running(string id, string user) => new()
    {
        TreeId = id,
        UserId = user,
        Run = 1,
        Status = TreeStatus.InProgress,
        CreatedAt = "2026-03-01T09:00:00.0000000Z",
        StartedAt = "2026-03-01T09:00:01.0000000Z",
        Tasks =
        [
            new TaskRecordV1 { Id = "a", Name = ApiHarness.Executor, Status = TaskRunStatus.Completed, Progress = 1, Attempts = 1,
                Result = JsonDocument.Parse("{\"ok\":true}").RootElement.Clone(), CompletedAt = "2026-03-01T09:00:02.0000000Z" },
            new TaskRecordV1 { Id = "b", Name = ApiHarness.Executor, ParentId = "a", Priority = 1, Status = TaskRunStatus.InProgress, Attempts = 1,
                Dependencies = [new TaskDependencyV1("a", true)] },
            new TaskRecordV1 { Id = "c", Name = ApiHarness.Executor, ParentId = "b", Priority = 0, Status = TaskRunStatus.Pending,
                Dependencies = [new TaskDependencyV1("b", false)] },
        ],
    };

    [Fact]
    public async Task A_running_tree_reads_from_the_status_entity_with_counts_and_progress()
    {
        var h = NewHarness();
        var id = await SubmitAsync(h, "ann");
        h.SetState(id, Running(id, "ann"));

        var response = await h.GetTreeAsync(id, "include=results");

        Assert.Equal(200, response.Status);
        var body = response.Body;
        Assert.Equal(id, body.GetProperty("tree_id").GetString());
        Assert.Equal("ann", body.GetProperty("user_id").GetString());
        Assert.Equal("in_progress", body.GetProperty("status").GetString());
        Assert.Equal(1.0 / 3, body.GetProperty("progress").GetDouble(), 6);
        var counts = body.GetProperty("counts");
        Assert.Equal((1, 1, 1, 0, 0, 0), (counts.GetProperty("pending").GetInt32(), counts.GetProperty("in_progress").GetInt32(),
            counts.GetProperty("completed").GetInt32(), counts.GetProperty("failed").GetInt32(), counts.GetProperty("skipped").GetInt32(),
            counts.GetProperty("cancelled").GetInt32()));
        Assert.Equal("2026-03-01T09:00:01.0000000Z", body.GetProperty("started_at").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("completed_at").ValueKind);
        Assert.Equal(1, body.GetProperty("run").GetInt32());

        var tasks = body.GetProperty("tasks");
        Assert.Equal(3, tasks.GetArrayLength());
        var a = tasks[0];
        Assert.Equal("completed", a.GetProperty("status").GetString());
        Assert.True(a.GetProperty("result").GetProperty("ok").GetBoolean());
        foreach (var field in new[] { "id", "name", "parent_id", "priority", "dependencies", "inputs", "status", "result", "error", "progress", "attempts", "created_at", "started_at", "completed_at" })
        {
            Assert.True(a.TryGetProperty(field, out _), field);
        }

        Assert.False(a.TryGetProperty("children", out _));
        var dependency = tasks[2].GetProperty("dependencies")[0];
        Assert.Equal("b", dependency.GetProperty("id").GetString());
        Assert.False(dependency.GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task A_tree_not_started_yet_reads_pending_from_the_orchestration_input()
    {
        var h = NewHarness();
        var id = await SubmitAsync(h);

        var response = await h.GetTreeAsync(id);

        Assert.Equal(200, response.Status);
        Assert.Equal("pending", response.Body.GetProperty("status").GetString());
        Assert.Equal(3, response.Body.GetProperty("counts").GetProperty("pending").GetInt32());
        var tasks = response.Body.GetProperty("tasks").EnumerateArray().ToList();
        Assert.Equal(["a", "b", "c"], tasks.Select(t => t.GetProperty("id").GetString()));
        Assert.All(tasks, t => Assert.Equal("pending", t.GetProperty("status").GetString()));
        Assert.Equal("hi", tasks[0].GetProperty("inputs").GetProperty("text").GetString());
        Assert.Equal(0, tasks[2].GetProperty("priority").GetInt32());
    }

    [Fact]
    public async Task Without_an_instance_yet_the_tree_is_pending_from_the_index_alone()
    {
        var h = NewHarness();
        var id = await SubmitAsync(h);
        h.ForgetInstance(id);

        var response = await h.GetTreeAsync(id);

        Assert.Equal(200, response.Status);
        Assert.Equal("pending", response.Body.GetProperty("status").GetString());
        Assert.Equal(3, response.Body.GetProperty("task_count").GetInt32());
        Assert.Equal(3, response.Body.GetProperty("counts").GetProperty("pending").GetInt32());
        Assert.Equal(0, response.Body.GetProperty("tasks").GetArrayLength());
    }

    [Fact]
    public async Task The_nested_view_puts_tasks_under_their_parents()
    {
        var h = NewHarness();
        var id = await SubmitAsync(h);
        h.SetState(id, Running(id, "anonymous"));

        var response = await h.GetTreeAsync(id, "view=nested");

        Assert.Equal(200, response.Status);
        var root = Assert.Single(response.Body.GetProperty("tasks").EnumerateArray());
        Assert.Equal("a", root.GetProperty("id").GetString());
        var b = Assert.Single(root.GetProperty("children").EnumerateArray());
        var c = Assert.Single(b.GetProperty("children").EnumerateArray());
        Assert.Equal("c", c.GetProperty("id").GetString());
        Assert.Equal(0, c.GetProperty("children").GetArrayLength());
        Assert.Equal(3, response.Body.GetProperty("counts").GetProperty("pending").GetInt32()
            + response.Body.GetProperty("counts").GetProperty("in_progress").GetInt32()
            + response.Body.GetProperty("counts").GetProperty("completed").GetInt32());

        var bad = await h.GetTreeAsync(id, "view=tree");
        Assert.Equal(400, bad.Status);
        Assert.Equal("invalid_request", bad.ErrorCode);
    }

    [Theory]
    [InlineData("tree-never-submitted")]
    [InlineData("not a valid id")]
    [InlineData("../../etc")]
    public async Task Unknown_or_malformed_tree_ids_are_404(string id)
    {
        var h = NewHarness();
        var response = await h.GetTreeAsync(id);
        Assert.Equal(404, response.Status);
        Assert.Equal("not_found", response.ErrorCode);
        Assert.Equal(404, (await h.GetTaskAsync(id, "a")).Status);
        Assert.Equal(404, (await h.CancelAsync(id)).Status);
    }

    [Fact]
    public async Task One_task_record_and_404_for_an_unknown_task()
    {
        var h = NewHarness();
        var id = await SubmitAsync(h);
        h.SetState(id, Running(id, "anonymous"));

        var task = await h.GetTaskAsync(id, "b");
        Assert.Equal(200, task.Status);
        Assert.Equal("b", task.Body.GetProperty("id").GetString());
        Assert.Equal("in_progress", task.Body.GetProperty("status").GetString());
        Assert.Equal("a", task.Body.GetProperty("parent_id").GetString());

        var missing = await h.GetTaskAsync(id, "zz");
        Assert.Equal(404, missing.Status);
        Assert.Equal("not_found", missing.ErrorCode);
    }

    [Fact]
    public async Task Another_users_tree_is_404_for_get_task_and_cancel()
    {
        var h = NewHarness();
        var id = await SubmitAsync(h, headers: ApiHarness.As("owner-1"));

        Assert.Equal(200, (await h.GetTreeAsync(id, headers: ApiHarness.As("owner-1"))).Status);
        Assert.Equal(404, (await h.GetTreeAsync(id, headers: ApiHarness.As("intruder"))).Status);
        Assert.Equal(404, (await h.GetTaskAsync(id, "a", ApiHarness.As("intruder"))).Status);
        Assert.Equal(404, (await h.CancelAsync(id, ApiHarness.As("intruder"))).Status);
        Assert.Equal(404, (await h.GetTreeAsync(id, "user_id=intruder")).Status);
        h.Client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Cancel_a_running_tree_is_202_and_raises_the_cancel_event()
    {
        var h = NewHarness();
        var id = await SubmitAsync(h);
        h.SetState(id, Running(id, "anonymous"));

        var response = await h.CancelAsync(id);

        Assert.Equal(202, response.Status);
        Assert.Equal(id, response.Body.GetProperty("tree_id").GetString());
        Assert.True(response.Body.GetProperty("cancel_requested").GetBoolean());
        h.Client.Verify(c => c.RaiseEventAsync(id, "cancel", It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Cancel_an_ended_tree_is_409_not_cancellable()
    {
        var h = NewHarness();
        var id = await SubmitAsync(h);
        var state = Running(id, "anonymous");
        state.Status = TreeStatus.Completed;
        h.SetState(id, state);

        var response = await h.CancelAsync(id);
        Assert.Equal(409, response.Status);
        Assert.Equal("not_cancellable", response.ErrorCode);

        var other = await SubmitAsync(h);
        await h.Index.RecordOutcomeAsync(new TreeOutcomeUpdate(other, 1, TreeStatus.Failed, new TaskCounts(0, 0, 0, 3, 0, 0), h.Clock.GetUtcNow()));
        Assert.Equal(409, (await h.CancelAsync(other)).Status);

        var finished = await SubmitAsync(h);
        h.InstanceStatus = OrchestrationRuntimeStatus.Completed;
        Assert.Equal(409, (await h.CancelAsync(finished)).Status);
        h.Client.Verify(c => c.RaiseEventAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object?>(), It.IsAny<CancellationToken>()), Times.Never);
    }
}
