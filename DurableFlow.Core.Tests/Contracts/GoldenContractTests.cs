using System.Text.Json;
using DurableFlow.Contracts;
using DurableFlow.Graph;

namespace DurableFlow.Tests.Contracts;

/// <summary>
/// Each file in Golden/ was written by the code before the wire contracts existed (commit 18e893c). An
/// orchestration started by that code may still be running after a deployment, so today's contracts
/// must read every sample, and write it back byte for byte (an old worker may read what a new one wrote).
/// </summary>
public class GoldenContractTests
{
    /// <summary>The Functions worker's default serializer settings, which Durable uses for payloads and entity state.</summary>
    private static readonly JsonSerializerOptions Durable = new() { PropertyNameCaseInsensitive = true };

    public static TheoryData<string, Type> DurableSamples => new()
    {
        { "orchestration-input.v1.json", typeof(TreeRunInputV1) },
        { "orchestration-input-rerun.v1.json", typeof(TreeRunInputV1) },
        { "orchestration-output.v1.json", typeof(TreeRunOutcomeV1) },
        { "custom-status.v1.json", typeof(TreeProgressV1) },
        { "activity-request.v1.json", typeof(TaskRunRequestV1) },
        { "activity-result-success.v1.json", typeof(TaskRunResultV1) },
        { "activity-result-failure.v1.json", typeof(TaskRunResultV1) },
        { "attempt-ledger-outcome.v1.json", typeof(TaskRunResultV1) },
        { "entity-operation.v1.json", typeof(StatusUpdateV1) },
        { "entity-state.v1.json", typeof(TreeStatusStateV1) },
    };

    internal static string Golden(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Contracts", "Golden", name)).TrimEnd('\n');

    [Theory]
    [MemberData(nameof(DurableSamples))]
    public void Every_durable_sample_reads_back_and_writes_the_same_bytes(string file, Type contract)
    {
        var json = Golden(file);
        var value = JsonSerializer.Deserialize(json, contract, Durable);
        Assert.NotNull(value);
        Assert.Equal(json, JsonSerializer.Serialize(value, contract, Durable));
    }

    [Fact]
    public void The_orchestration_input_maps_to_the_tree_that_was_submitted()
    {
        var input = JsonSerializer.Deserialize<TreeRunInputV1>(Golden("orchestration-input-rerun.v1.json"), Durable)!;
        var tree = input.Tree.ToDomain();

        Assert.Equal(("golden-tree", "alice", 2, 2), (input.TreeId, input.UserId, input.Run, tree.MaxParallelism));
        Assert.Equal(["fetch", "sum", "opt"], tree.Tasks.Select(t => t.Id));
        Assert.Equal(new RetrySettings(3, 1, 2, 60), tree.Tasks[0].Retry);
        Assert.Equal(30, tree.Tasks[0].TimeoutSeconds);
        Assert.Equal([new TaskDependency("fetch"), new TaskDependency("opt", false)], tree.Tasks[1].Dependencies);
        Assert.Equal("fetch", tree.Tasks[1].ParentId);
        Assert.Equal(200, input.Carried!["fetch"].GetProperty("status_code").GetInt32());
        Assert.Empty(TreeValidator.Validate(tree));
        // Domain and back gives the same stored form.
        Assert.Equal(JsonSerializer.Serialize(input.Tree, Durable), JsonSerializer.Serialize(tree.ToWire(), Durable));
    }

    [Fact]
    public void The_entity_operation_and_state_keep_their_statuses()
    {
        var update = JsonSerializer.Deserialize<StatusUpdateV1>(Golden("entity-operation.v1.json"), Durable)!;
        Assert.Equal(TreeStatus.InProgress, update.TreeStatus);
        Assert.Equal([TaskRunStatus.InProgress, TaskRunStatus.Completed, TaskRunStatus.Skipped], update.Changes.Select(c => c.Status));
        Assert.Equal(["opt"], update.Start!.Carried!);

        var state = JsonSerializer.Deserialize<TreeStatusStateV1>(Golden("entity-state.v1.json"), Durable)!;
        Assert.Equal(TreeStatus.Failed, state.Status);
        Assert.Equal([TaskRunStatus.Failed, TaskRunStatus.Skipped, TaskRunStatus.Completed], state.Tasks.Select(t => t.Status));
        Assert.Equal((4, 3), (state.Tasks[0].Attempts, state.Tasks[0].PriorAttempts));
        Assert.Equal(2, state.Runs.Count);
    }

    [Fact]
    public void The_orchestration_output_counts_map_to_the_domain()
    {
        var outcome = JsonSerializer.Deserialize<TreeRunOutcomeV1>(Golden("orchestration-output.v1.json"), Durable)!;
        Assert.Equal(TreeStatus.Failed, outcome.Status);
        Assert.Equal(new TaskCounts(0, 0, 2, 1, 0, 0), outcome.Counts.ToDomain());
    }

    [Fact]
    public void The_submission_hash_of_the_golden_tree_is_pinned()
    {
        // Index rows store this hash: if it changed, an identical resubmission of a stored tree would get
        // 409 tree_exists instead of 200. Today's value, computed by the code before the contracts existed.
        const string Pinned = "248631f3c0d58b423945e47dcea0ddb4d2479a139ee704427c3fa031716929a1";
        Assert.Equal(Pinned, Golden("submission-hash.v1.txt"));

        var parsed = TreeJson.Parse(Golden("submission-tree.v1.json"));
        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Errors.Select(e => e.Message)));
        Assert.Equal(Pinned, SubmissionHash.Compute(parsed.Tree!));
    }

    [Fact]
    public void The_sample_request_bodies_still_parse()
    {
        Assert.True(TreeJson.Parse(Golden("http-submit-request.v1.json")).Succeeded);
        var rerun = RerunRequestJson.Parse(System.Text.Encoding.UTF8.GetBytes(Golden("http-rerun-request.v1.json")));
        Assert.Null(rerun.Error);
        Assert.Equal(["fetch"], rerun.Request.Tasks);
        Assert.Equal(1, rerun.Request.ExpectedRun);
    }
}
