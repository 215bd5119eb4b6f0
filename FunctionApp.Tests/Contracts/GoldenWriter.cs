using System.Text.Json;
using DurableFlow.Api;
using DurableFlow.Graph;
using DurableFlow.Orchestration;
using DurableFlow.Status;
using DurableFlow.Storage;

namespace DurableFlow.Tests.Contracts;

public class GoldenWriter
{
    private static readonly JsonSerializerOptions Durable = new() { PropertyNameCaseInsensitive = true, WriteIndented = false };

    private static JsonElement J(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void Write()
    {
        var dir = Environment.GetEnvironmentVariable("GOLDEN_DIR");
        if (dir is null) return;
        Directory.CreateDirectory(dir);
        var created = new DateTime(2025, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);
        var tree = new TaskTree("golden-tree", "alice", 2, false,
        [
            new TaskDefinition("fetch", "rest_executor", J("""{"url":"https://example.com/a","headers":{"x":"1"}}"""), 0, null, null,
                new RetrySettings(3, 1, 2, 60), 30),
            new TaskDefinition("sum", "aggregate_results_executor", null, 1, "fetch",
                [new TaskDependency("fetch"), new TaskDependency("opt", false)]),
            new TaskDefinition("opt", "system_info_executor", J("""{"resource":"cpu"}""")),
        ]);
        void Write(string name, object value, JsonSerializerOptions options) =>
            File.WriteAllText(Path.Combine(dir, name), JsonSerializer.Serialize(value, value.GetType(), options) + "\n");

        Write("orchestration-input.v1.json", new TreeRunInput("golden-tree", "alice", tree, created), Durable);
        Write("orchestration-input-rerun.v1.json", new TreeRunInput("golden-tree", "alice", tree, created, 2,
            new Dictionary<string, JsonElement> { ["fetch"] = J("""{"status_code":200}""") }), Durable);
        var counts = new TaskCounts(0, 0, 2, 1, 0, 0);
        Write("orchestration-output.v1.json", new TreeRunOutcome("golden-tree", "alice", 1, TreeStatus.Failed, counts, created, created.AddSeconds(3)), Durable);
        Write("custom-status.v1.json", new TreeProgress("in_progress", 1, new TaskCounts(1, 1, 1, 0, 0, 0), 0.3333), Durable);
        Write("activity-request.v1.json", new TaskRunRequest("golden-tree", "sum", "aggregate_results_executor", 2, 1, true,
            J("""{"k":[1,2]}"""), new Dictionary<string, JsonElement> { ["fetch"] = J("""{"status_code":200}""") }), Durable);
        Write("activity-result-success.v1.json", TaskRunResult.Success(J("""{"ok":true}""")), Durable);
        Write("activity-result-failure.v1.json", TaskRunResult.Failure("boom"), Durable);
        Write("entity-operation.v1.json", new StatusUpdate(1, created, TreeStatus.InProgress,
            [new TaskStatusChange("fetch", TaskStatus.InProgress, 1), new TaskStatusChange("opt", TaskStatus.Completed, 1, J("""{"cpu":4}""")),
             new TaskStatusChange("sum", TaskStatus.Skipped, 0, null, "required dependency 'fetch' failed")],
            new RunStart("golden-tree", "alice", created, tree.Tasks, ["opt"])), Durable);
        var state = new TreeStatusState
        {
            TreeId = "golden-tree", UserId = "alice", Run = 2, Status = TreeStatus.Failed,
            CreatedAt = "2025-01-02T03:04:05.6780000Z", StartedAt = "2025-01-02T03:04:06.0000000Z", CompletedAt = "2025-01-02T03:04:09.0000000Z",
            Tasks =
            [
                new TaskRecord { Id = "fetch", Name = "rest_executor", Priority = 0, Inputs = J("""{"url":"https://example.com/a"}"""),
                    Status = TaskStatus.Failed, Error = "HTTP 500", Progress = 1, Attempts = 4, PriorAttempts = 3,
                    CreatedAt = "2025-01-02T03:04:05.6780000Z", StartedAt = "2025-01-02T03:04:06.0000000Z", CompletedAt = "2025-01-02T03:04:08.0000000Z" },
                new TaskRecord { Id = "sum", Name = "aggregate_results_executor", ParentId = "fetch", Priority = 1,
                    Dependencies = [new TaskDependency("fetch"), new TaskDependency("opt", false)], Status = TaskStatus.Skipped,
                    Error = "required dependency 'fetch' failed", Progress = 1, CreatedAt = "2025-01-02T03:04:05.6780000Z", CompletedAt = "2025-01-02T03:04:08.0000000Z" },
                new TaskRecord { Id = "opt", Name = "system_info_executor", Priority = 1, Status = TaskStatus.Completed, Result = J("""{"cpu":4}"""),
                    Progress = 1, Attempts = 1, CreatedAt = "2025-01-02T03:04:05.6780000Z", StartedAt = "2025-01-02T03:04:05.9000000Z", CompletedAt = "2025-01-02T03:04:06.1000000Z" },
            ],
            Runs =
            [
                new RunSummary { Run = 1, StartedAt = "2025-01-02T03:04:05.7000000Z", CompletedAt = "2025-01-02T03:04:05.8000000Z", Status = TreeStatus.Failed },
                new RunSummary { Run = 2, StartedAt = "2025-01-02T03:04:06.0000000Z", CompletedAt = "2025-01-02T03:04:09.0000000Z", Status = TreeStatus.Failed },
            ],
        };
        Write("entity-state.v1.json", state, Durable);
        Write("attempt-ledger-outcome.v1.json", TaskRunResult.Success(J("""{"ok":true}""")), JsonSerializerOptions.Default);

        // Index row: the table properties as TreeIndexRow writes them.
        var entry = new TreeIndexEntry("golden-tree", "alice", new DateTimeOffset(created), new DateTimeOffset(created.AddSeconds(3)), 3,
            TreeStatus.Failed, counts, 1, "abc123", TreeIndexState.Started);
        var entity = TreeIndexRow.ToEntity(entry, 7, TreeIndexKeys.TreePartitionKey("golden-tree"), TreeIndexKeys.TreeRowKey);
        var row = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in entity)
        {
            if (k is "odata.etag") continue;
            row[k] = v is DateTimeOffset d ? d.ToString("O", System.Globalization.CultureInfo.InvariantCulture) : v;
        }
        row["UserRowPartitionKey"] = TreeIndexKeys.UserPartitionKey("alice");
        row["UserRowRowKey"] = TreeIndexKeys.UserRowKey(entry.CreatedAt, "golden-tree");
        Write("index-row.v1.json", row, new JsonSerializerOptions { WriteIndented = true });

        // HTTP bodies as the API writes them.
        var api = ApiJson.Options;
        Write("http-submit-response.v1.json", new SubmitResponse("golden-tree", "pending", 3, TreeLinks.For("golden-tree")), api);
        Write("http-cancel-response.v1.json", new CancelResponse("golden-tree", "in_progress", true, TreeLinks.For("golden-tree")), api);
        Write("http-rerun-response.v1.json", new RerunResponse("golden-tree", "pending", 3, ["fetch", "sum"], 1, TreeLinks.For("golden-tree")), api);
        var views = state.Tasks.Select(TaskView.From).ToList();
        Write("http-tree.v1.json", new TreeView("golden-tree", "alice", "failed", 1, CountsView.From(counts), 3, state.CreatedAt, state.StartedAt, state.CompletedAt, 2,
            TreeLinks.For("golden-tree"), views) { Runs = state.Runs.Select(RunView.From).ToList() }, api);
        Write("http-tree-list.v1.json", new TreeListResponse([TreeSummary.From(entry)], "tok", "/api/trees?limit=1&continuation=tok"), api);
        Write("http-error.v1.json", ApiResult.Validation([new ValidationError(ValidationCodes.CycleDetected, "cycle", "$.tasks[0]", "a", null, ["a", "b", "a"]),
            new ValidationError(ValidationCodes.MissingDependency, "missing", "$.tasks[1].dependencies[0]", "b", "zz")]).Body!, api);

        // Submission hash: the tree as submitted (tree id and owner filled in).
        File.WriteAllText(Path.Combine(dir, "submission-hash.v1.txt"), SubmissionHash.Compute(tree) + "\n");
        Write("submission-tree.v1.json", tree, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
    }
}
