using System.Net;
using System.Text;
using DurableFlow.E2E.Support;

namespace DurableFlow.E2E;

/// <summary>Submission on the host: idempotency, every validation code, size and media-type limits.</summary>
public sealed class SubmissionTests : E2ETest
{
    [E2EFact]
    public async Task The_same_tree_id_with_the_same_tree_is_an_idempotent_repeat_and_with_another_tree_a_conflict()
    {
        var user = Trees.NewUser();
        var treeId = Trees.NewId();
        var tree = Trees.Tree(user, Trees.SystemInfo("a"), Trees.SystemInfo("b").After("a")).Set("tree_id", treeId);

        var first = await Api.SubmitAsync(tree);
        // Same tree, keys reordered and a default spelled out: still the same submission.
        var same = Trees.Tree(user, Trees.SystemInfo("a"), Trees.SystemInfo("b").After("a")).Set("max_parallelism", 0).Set("tree_id", treeId);
        var repeat = await Api.SubmitAsync(same);
        var other = await Api.SubmitAsync(Trees.Tree(user, Trees.SystemInfo("a", "memory")).Set("tree_id", treeId));

        Assert.Equal(HttpStatusCode.Accepted, first.Status);
        Assert.Equal($"/api/trees/{treeId}", first.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, repeat.Status);
        Assert.Equal(treeId, repeat.Body!["tree_id"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, other.Status);
        Assert.Equal("tree_exists", other.ErrorCode);
        var read = await Api.WaitForEndAsync(treeId);
        Assert.Equal("completed", read.Status());
        Assert.Equal(1, read["run"]!.GetValue<int>());
    }

    public static TheoryData<string, string> InvalidTrees() => new()
    {
        { "invalid_json", """{"tasks": [""" },
        { "invalid_request", """{"tasks": [{"id": "a", "name": "system_info_executor", "dependecies": []}]}""" },
        { "empty_tree", """{"tasks": []}""" },
        { "invalid_id", """{"tasks": [{"id": "a b", "name": "system_info_executor"}]}""" },
        { "invalid_field", """{"tasks": [{"id": "a", "name": "system_info_executor", "priority": -1}]}""" },
        { "duplicate_task_id", """{"tasks": [{"id": "a", "name": "system_info_executor"}, {"id": "a", "name": "system_info_executor"}]}""" },
        { "missing_dependency", """{"tasks": [{"id": "a", "name": "system_info_executor", "dependencies": ["ghost"]}]}""" },
        { "self_dependency", """{"tasks": [{"id": "a", "name": "system_info_executor", "dependencies": ["a"]}]}""" },
        { "cycle_detected", """{"tasks": [{"id": "a", "name": "system_info_executor", "dependencies": ["b"]}, {"id": "b", "name": "system_info_executor", "dependencies": ["a"]}]}""" },
        { "unknown_parent", """{"tasks": [{"id": "a", "name": "system_info_executor", "parent_id": "ghost"}]}""" },
        { "parent_cycle", """{"tasks": [{"id": "a", "name": "system_info_executor", "parent_id": "b"}, {"id": "b", "name": "system_info_executor", "parent_id": "a"}]}""" },
        { "unknown_executor", """{"tasks": [{"id": "a", "name": "no_such_executor"}]}""" },
        { "too_many_tasks", TooManyTasks() },
        { "too_many_dependencies", TooManyDependencies() },
    };

    [E2ETheory]
    [MemberData(nameof(InvalidTrees))]
    public async Task Every_validation_code_answers_400_and_stores_nothing(string code, string body)
    {
        var treeId = Trees.NewId("invalid");
        var withId = body.StartsWith("{\"tasks\"", StringComparison.Ordinal) ? $"{{\"tree_id\": \"{treeId}\", {body[1..]}" : body;

        var answer = await Api.SendAsync(HttpMethod.Post, "api/trees", withId, "application/json");

        Assert.True(answer.Status == HttpStatusCode.BadRequest, answer.ToString());
        Assert.Contains(code, answer.DetailCodes.Append(answer.ErrorCode!));
        Assert.All(answer.Body!["error"]!["details"]!.AsArray(), d => Assert.NotNull(d!["message"]));
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetTreeAsync(treeId)).Status);
    }

    [E2EFact]
    public async Task A_cycle_is_reported_with_its_path()
    {
        var body = """{"tasks": [{"id": "a", "name": "system_info_executor", "dependencies": ["b"]}, {"id": "b", "name": "system_info_executor", "dependencies": ["c"]}, {"id": "c", "name": "system_info_executor", "dependencies": ["a"]}]}""";

        var answer = await Api.SendAsync(HttpMethod.Post, "api/trees", body, "application/json");

        var cycle = answer.Body!["error"]!["details"]![0]!["cycle"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        Assert.Equal(4, cycle.Length);
        Assert.Equal(cycle[0], cycle[^1]);
        Assert.Equal(["a", "b", "c"], cycle[..3].Order().ToArray());
    }

    [E2EFact]
    public async Task A_body_over_the_size_limit_is_413_and_a_non_json_body_415()
    {
        var big = "{\"tasks\": [" + string.Join(",", Enumerable.Repeat("{\"id\":\"x\",\"name\":\"system_info_executor\",\"inputs\":{\"pad\":\"" + new string('p', 1000) + "\"}}", 1100)) + "]}";
        Assert.True(Encoding.UTF8.GetByteCount(big) > 1024 * 1024);

        var tooLarge = await Api.SendAsync(HttpMethod.Post, "api/trees", big, "application/json");
        var text = await Api.SendAsync(HttpMethod.Post, "api/trees", "{\"tasks\": []}", "text/plain");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.Status);
        Assert.Equal("payload_too_large", tooLarge.ErrorCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text.Status);
        Assert.Equal("unsupported_media_type", text.ErrorCode);
    }

    [E2EFact]
    public async Task Unknown_trees_and_tasks_are_404_with_an_error_body()
    {
        var tree = await Api.GetTreeAsync(Trees.NewId("ghost"));
        var treeId = await Api.StartAsync(Trees.Tree(Trees.NewUser(), Trees.SystemInfo("a")));
        var task = await Api.GetAsync($"api/trees/{treeId}/tasks/ghost");
        var known = await Api.GetAsync($"api/trees/{treeId}/tasks/a");

        Assert.Equal(HttpStatusCode.NotFound, tree.Status);
        Assert.Equal("not_found", tree.ErrorCode);
        Assert.Equal(HttpStatusCode.NotFound, task.Status);
        Assert.Equal("not_found", task.ErrorCode);
        Assert.Equal(HttpStatusCode.OK, known.Status);
        Assert.Equal("a", known.Body!["id"]!.GetValue<string>());
    }

    private static string TooManyTasks() =>
        "{\"tasks\": [" + string.Join(",", Enumerable.Range(0, 5001).Select(i => $"{{\"id\":\"t{i}\",\"name\":\"system_info_executor\"}}")) + "]}";

    private static string TooManyDependencies() =>
        "{\"tasks\": [" + string.Join(",", Enumerable.Range(0, 1001).Select(i => $"{{\"id\":\"t{i}\",\"name\":\"system_info_executor\"}}"))
        + ",{\"id\":\"all\",\"name\":\"aggregate_results_executor\",\"dependencies\":[" + string.Join(",", Enumerable.Range(0, 1001).Select(i => $"\"t{i}\"")) + "]}]}";
}
