using System.Text.Json;
using DurableFlow.Api;
using DurableFlow.Contracts;
using DurableFlow.Graph;
using DurableFlow.Storage;

namespace DurableFlow.Tests.Contracts;

/// <summary>The HTTP bodies are the public contract (the dashboard, the e2e suite and clients read them):
/// today's code writes the samples written before the restructuring, byte for byte.</summary>
public class HttpBodyGoldenTests
{
    private static readonly JsonSerializerOptions Durable = new() { PropertyNameCaseInsensitive = true };

    private static readonly TreeStatusStateV1 State = JsonSerializer.Deserialize<TreeStatusStateV1>(GoldenFiles.Read("entity-state.v1.json"), Durable)!;

    private static readonly DateTime Created = new(2025, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);

    private static string Write(object body) => JsonSerializer.Serialize(body, body.GetType(), ApiJson.Options);

    [Fact]
    public void Submit_cancel_and_rerun_answers_keep_their_shape()
    {
        Assert.Equal(GoldenFiles.Read("http-submit-response.v1.json"), Write(new SubmitResponse("golden-tree", "pending", 3, TreeLinks.For("golden-tree"))));
        Assert.Equal(GoldenFiles.Read("http-cancel-response.v1.json"), Write(new CancelResponse("golden-tree", "in_progress", true, TreeLinks.For("golden-tree"))));
        Assert.Equal(GoldenFiles.Read("http-rerun-response.v1.json"), Write(new RerunResponse("golden-tree", "pending", 3, ["fetch", "sum"], 1, TreeLinks.For("golden-tree"))));
    }

    [Fact]
    public void The_tree_view_keeps_its_shape()
    {
        var tree = new TreeView("golden-tree", "alice", "failed", 1, CountsView.From(new TaskCounts(0, 0, 2, 1, 0, 0)), 3, State.CreatedAt, State.StartedAt,
            State.CompletedAt, 2, TreeLinks.For("golden-tree"), State.Tasks.Select(TaskView.From).ToList())
        {
            Runs = State.Runs.Select(RunView.From).ToList(),
        };
        Assert.Equal(GoldenFiles.Read("http-tree.v1.json"), Write(tree));
    }

    [Fact]
    public void The_tree_list_keeps_its_shape()
    {
        var entry = new TreeIndexEntry("golden-tree", "alice", new DateTimeOffset(Created), new DateTimeOffset(Created.AddSeconds(3)), 3,
            TreeStatus.Failed, new TaskCounts(0, 0, 2, 1, 0, 0), 1, "abc123", TreeIndexState.Started);
        Assert.Equal(GoldenFiles.Read("http-tree-list.v1.json"), Write(new TreeListResponse([TreeSummary.From(entry)], "tok", "/api/trees?limit=1&continuation=tok")));
    }

    [Fact]
    public void The_error_envelope_keeps_its_shape()
    {
        var result = ApiResult.Validation([
            new ValidationError(ValidationCodes.CycleDetected, "cycle", "$.tasks[0]", "a", null, ["a", "b", "a"]),
            new ValidationError(ValidationCodes.MissingDependency, "missing", "$.tasks[1].dependencies[0]", "b", "zz"),
        ]);
        Assert.Equal(GoldenFiles.Read("http-error.v1.json"), Write(result.Body!));
    }
}
