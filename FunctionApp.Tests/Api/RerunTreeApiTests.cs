using System.Text.Json;
using DurableFlow.Graph;
using DurableFlow.Status;
using DurableFlow.Tests.Storage;
using Microsoft.DurableTask.Client;
using DurableFlow.Contracts;

namespace DurableFlow.Tests.Api;

/// <summary><c>POST /api/trees/{tree_id}/rerun</c> against the real tree index on Azurite.</summary>
public sealed class RerunTreeApiTests(TableStorageFixture storage) : IClassFixture<TableStorageFixture>
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    /// <summary>
    /// Submits the default tree (a → b → c) and ends its run 1 with the given statuses; with
    /// <c>recorded: false</c> the orchestration is still recording the outcome (instance running, index row not ended).
    /// </summary>
    private async Task<(ApiHarness H, string Id)> EndedAsync(TaskRunStatus a, TaskRunStatus b, TaskRunStatus c, TreeStatus tree, string? user = null, bool recorded = true)
    {
        var h = new ApiHarness(storage.CreateIndex()) { InstanceStatus = recorded ? OrchestrationRuntimeStatus.Completed : OrchestrationRuntimeStatus.Running };
        var id = Entries.NewTreeId();
        Assert.Equal(202, (await h.SubmitAsync(ApiHarness.Tree(id, user), user is null ? null : ApiHarness.As(user))).Status);
        TaskRecordV1 Record(string taskId, TaskRunStatus status) => new()
        {
            Id = taskId, Name = ApiHarness.Executor, Status = status, Attempts = status == TaskRunStatus.Skipped ? 0 : 1,
            Result = status == TaskRunStatus.Completed ? Json($"{{\"from\":\"{taskId}\"}}") : null,
        };
        h.SetState(id, new TreeStatusStateV1
        {
            TreeId = id, UserId = user ?? "anonymous", Run = 1, Status = tree,
            Tasks = [Record("a", a), Record("b", b), Record("c", c)],
            Runs = [new RunSummaryV1 { Run = 1, Status = tree, StartedAt = "2026-03-01T09:00:00.0000000Z", CompletedAt = "2026-03-01T09:01:00.0000000Z" }],
        });
        if (tree.IsTerminal() && recorded)
        {
            await h.Index.RecordOutcomeAsync(new(id, 1, tree, new TaskCounts(0, 0, 1, 1, 1, 0), DateTimeOffset.UtcNow));
        }
        return (h, id);
    }

    [Fact]
    public async Task Default_rerun_runs_what_did_not_complete_and_carries_completed_results()
    {
        var (h, id) = await EndedAsync(TaskRunStatus.Completed, TaskRunStatus.Failed, TaskRunStatus.Skipped, TreeStatus.Failed);
        var response = await h.RerunAsync(id);

        Assert.Equal(202, response.Status);
        Assert.Equal(2, response.Body.GetProperty("run").GetInt32());
        Assert.Equal(["b", "c"], response.Body.GetProperty("rerun").EnumerateArray().Select(e => e.GetString()));
        var input = h.Started[id];
        Assert.Equal(2, input.Run);
        Assert.Equal(["a"], input.Carried!.Keys);
        Assert.Equal("a", input.Carried["a"].GetProperty("from").GetString());
        Assert.Equal(3, input.Tree.Tasks.Count);
        var row = (await h.Index.GetAsync(id))!;
        Assert.Equal((2, TreeStatus.InProgress, (DateTimeOffset?)null), (row.Run, row.Status, row.CompletedAt));
        Assert.Equal(2, h.ScheduleCalls);
    }

    [Fact]
    public async Task Right_after_a_rerun_the_tree_reads_as_the_new_run_in_progress_not_the_old_run_ended()
    {
        var (h, id) = await EndedAsync(TaskRunStatus.Completed, TaskRunStatus.Failed, TaskRunStatus.Skipped, TreeStatus.Failed);
        Assert.Equal(202, (await h.RerunAsync(id)).Status);

        // The entity still holds run 1 (the new orchestration has not signalled yet).
        var read = await h.GetTreeAsync(id);

        Assert.Equal(200, read.Status);
        Assert.Equal("in_progress", read.Body.GetProperty("status").GetString());
        Assert.Equal(2, read.Body.GetProperty("run").GetInt32());
        Assert.Equal(JsonValueKind.Null, read.Body.GetProperty("completed_at").ValueKind);
    }

    [Fact]
    public async Task A_rerun_right_after_the_run_ended_waits_for_its_orchestration_to_record_the_outcome()
    {
        var (h, id) = await EndedAsync(TaskRunStatus.Completed, TaskRunStatus.Failed, TaskRunStatus.Skipped, TreeStatus.Failed, recorded: false);
        h.OnWaitForCompletion = async () =>
        {
            await h.Index.RecordOutcomeAsync(new(id, 1, TreeStatus.Failed, new TaskCounts(0, 0, 1, 1, 1, 0), DateTimeOffset.UtcNow));
            h.InstanceStatus = OrchestrationRuntimeStatus.Completed;
        };

        var response = await h.RerunAsync(id);

        Assert.Equal(202, response.Status);
        Assert.Equal(2, response.Body.GetProperty("run").GetInt32());
    }

    [Fact]
    public async Task Named_completed_tasks_rerun_with_everything_downstream()
    {
        var (h, id) = await EndedAsync(TaskRunStatus.Completed, TaskRunStatus.Completed, TaskRunStatus.Completed, TreeStatus.Completed);
        var response = await h.RerunAsync(id, "{\"tasks\": [\"b\"]}");
        Assert.Equal(202, response.Status);
        Assert.Equal(["b", "c"], response.Body.GetProperty("rerun").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["a"], h.Started[id].Carried!.Keys);
    }

    [Fact]
    public async Task A_completed_tree_with_nothing_named_has_nothing_to_rerun()
    {
        var (h, id) = await EndedAsync(TaskRunStatus.Completed, TaskRunStatus.Completed, TaskRunStatus.Completed, TreeStatus.Completed);
        var response = await h.RerunAsync(id);
        Assert.Equal((409, "nothing_to_rerun"), (response.Status, response.ErrorCode));
        Assert.Equal(1, h.ScheduleCalls);
    }

    [Fact]
    public async Task A_running_tree_answers_tree_running()
    {
        var (h, id) = await EndedAsync(TaskRunStatus.Completed, TaskRunStatus.InProgress, TaskRunStatus.Pending, TreeStatus.InProgress);
        h.InstanceStatus = OrchestrationRuntimeStatus.Running;
        var response = await h.RerunAsync(id);
        Assert.Equal((409, "tree_running"), (response.Status, response.ErrorCode));
        Assert.Equal(1, h.ScheduleCalls);
    }

    [Fact]
    public async Task Unknown_and_other_users_trees_are_not_found()
    {
        var (h, id) = await EndedAsync(TaskRunStatus.Failed, TaskRunStatus.Skipped, TaskRunStatus.Skipped, TreeStatus.Failed, user: "alice");
        Assert.Equal((404, "not_found"), ((await h.RerunAsync(Entries.NewTreeId())).Status, (await h.RerunAsync(Entries.NewTreeId())).ErrorCode));
        var other = await h.RerunAsync(id, headers: ApiHarness.As("mallory"));
        Assert.Equal((404, "not_found"), (other.Status, other.ErrorCode));
        Assert.Equal(1, h.ScheduleCalls);
    }

    [Fact]
    public async Task Unknown_task_ids_are_a_bad_request_naming_each()
    {
        var (h, id) = await EndedAsync(TaskRunStatus.Completed, TaskRunStatus.Failed, TaskRunStatus.Skipped, TreeStatus.Failed);
        var response = await h.RerunAsync(id, "{\"tasks\": [\"a\", \"ghost\", \"phantom\"]}");
        Assert.Equal((400, "unknown_task"), (response.Status, response.ErrorCode));
        Assert.Equal(["ghost", "phantom"], response.Details.EnumerateArray().Select(d => d.GetProperty("related_id").GetString()));
        Assert.Equal(1, (await h.Index.GetAsync(id))!.Run);
    }

    [Theory]
    [InlineData("{\"tasks\": \"a\"}", "invalid_request")]
    [InlineData("{\"expected_run\": 0}", "invalid_request")]
    [InlineData("{\"taks\": []}", "invalid_request")]
    [InlineData("[1]", "invalid_request")]
    [InlineData("{", "invalid_json")]
    public async Task Malformed_bodies_are_rejected(string body, string code)
    {
        var (h, id) = await EndedAsync(TaskRunStatus.Completed, TaskRunStatus.Failed, TaskRunStatus.Skipped, TreeStatus.Failed);
        var response = await h.RerunAsync(id, body);
        Assert.Equal((400, code), (response.Status, response.ErrorCode));
        Assert.Equal(1, h.ScheduleCalls);
    }

    [Fact]
    public async Task Expected_run_makes_the_request_conditional()
    {
        var (h, id) = await EndedAsync(TaskRunStatus.Completed, TaskRunStatus.Failed, TaskRunStatus.Skipped, TreeStatus.Failed);
        var stale = await h.RerunAsync(id, "{\"expected_run\": 7}");
        Assert.Equal((409, "run_mismatch"), (stale.Status, stale.ErrorCode));
        Assert.Equal(202, (await h.RerunAsync(id, "{\"expected_run\": 1}")).Status);
    }

    [Fact]
    public async Task Simultaneous_reruns_start_exactly_one_new_run()
    {
        var (h, id) = await EndedAsync(TaskRunStatus.Completed, TaskRunStatus.Failed, TaskRunStatus.Skipped, TreeStatus.Failed);
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => h.RerunAsync(id))));
        Assert.Single(answers, a => a.Status == 202);
        Assert.All(answers.Where(a => a.Status != 202), a => Assert.Equal((409, "tree_running"), (a.Status, a.ErrorCode)));
        Assert.Equal(2, h.ScheduleCalls); // the submission's start and one rerun
        Assert.Equal(2, (await h.Index.GetAsync(id))!.Run);
    }

    [Fact]
    public async Task A_failed_start_gives_the_claimed_run_an_end_so_a_later_rerun_works()
    {
        var (h, id) = await EndedAsync(TaskRunStatus.Completed, TaskRunStatus.Failed, TaskRunStatus.Skipped, TreeStatus.Failed);
        h.ScheduleFailure = new InvalidOperationException("backend down");
        Assert.True((await h.RerunAsync(id)).Status >= 500);
        var row = (await h.Index.GetAsync(id))!;
        Assert.Equal((2, TreeStatus.Failed), (row.Run, row.Status));
        h.ScheduleFailure = null;
        var again = await h.RerunAsync(id);
        Assert.Equal((202, 3), (again.Status, again.Body.GetProperty("run").GetInt32()));
    }

    [Fact]
    public async Task The_tree_read_shows_the_run_history()
    {
        var (h, id) = await EndedAsync(TaskRunStatus.Completed, TaskRunStatus.Failed, TaskRunStatus.Skipped, TreeStatus.Failed);
        var tree = await h.GetTreeAsync(id);
        var run = Assert.Single(tree.Body.GetProperty("runs").EnumerateArray());
        Assert.Equal((1, "failed"), (run.GetProperty("run").GetInt32(), run.GetProperty("status").GetString()));
        Assert.Equal("2026-03-01T09:01:00.0000000Z", run.GetProperty("completed_at").GetString());
    }
}
