using System.Text.Json;
using DurableFlow.Graph;

namespace DurableFlow.Tests.Graph;

public class TreeJsonTests
{
    [Fact]
    public void Reads_the_full_contract()
    {
        var result = TreeJson.Parse("""
            { "tree_id": "t1", "user_id": "alice", "max_parallelism": 2, "use_demo": true,
              "tasks": [
                { "id": "fetch", "name": "system_info_executor", "inputs": {"resource": "cpu"},
                  "priority": 0, "parent_id": null,
                  "dependencies": [{"id": "other", "required": false}, "third"],
                  "retry": {"max_attempts": 3, "first_retry_interval_seconds": 1.5, "backoff_coefficient": 2.0,
                            "max_retry_interval_seconds": 60},
                  "timeout_seconds": 30 },
                { "id": "other", "name": "x" }, { "id": "third", "name": "x", "parent_id": "fetch" } ] }
            """);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Message)));
        var tree = result.Tree!;
        Assert.Equal(("t1", "alice", 2, true), (tree.TreeId, tree.UserId, tree.MaxParallelism, tree.UseDemo));
        var fetch = tree.Tasks[0];
        Assert.Equal("system_info_executor", fetch.Name);
        Assert.Equal("cpu", fetch.Inputs!.Value.GetProperty("resource").GetString());
        Assert.Equal(0, fetch.Priority);
        Assert.Equal([new TaskDependency("other", false), new TaskDependency("third", true)], fetch.Dependencies);
        Assert.Equal(new RetrySettings(3, 1.5, 2.0, 60), fetch.Retry);
        Assert.Equal(30, fetch.TimeoutSeconds);
        Assert.Equal("fetch", tree.Tasks[2].ParentId);
    }

    [Fact]
    public void Applies_defaults()
    {
        var result = TreeJson.Parse("""{"tasks":[{"id":"a","name":"x","dependencies":[{"id":"b"}]},{"id":"b","name":"x"}]}""");

        var tree = result.Tree!;
        Assert.Null(tree.TreeId);
        Assert.Equal(0, tree.MaxParallelism);
        Assert.False(tree.UseDemo);
        Assert.Equal(1, tree.Tasks[0].Priority);
        Assert.True(tree.Tasks[0].Dependencies[0].Required);
        Assert.Null(tree.Tasks[0].Retry);
        Assert.Null(tree.Tasks[0].Inputs);
        Assert.Empty(tree.Tasks[1].Dependencies);
    }

    [Theory]
    [InlineData("1.0", 1)]
    [InlineData("2e0", 2)]
    [InlineData("-0", 0)]
    public void Whole_numbers_written_as_floats_are_integers(string priority, int expected) =>
        Assert.Equal(expected, TreeJson.Parse($"{{\"tasks\":[{{\"id\":\"a\",\"name\":\"x\",\"priority\":{priority}}}]}}").Tree!.Tasks[0].Priority);

    [Fact]
    public void Retry_defaults_to_a_fixed_one_second_interval()
    {
        var tree = TreeJson.Parse("""{"tasks":[{"id":"a","name":"x","retry":{"max_attempts":2}}]}""").Tree!;
        Assert.Equal(new RetrySettings(2, 1, 1, null), tree.Tasks[0].Retry);
    }

    [Theory]
    [InlineData("{\"tasks\": [", 1)]
    [InlineData("{\"tasks\": []]", 1)]
    [InlineData("", 1)]
    [InlineData("{\n  \"tasks\": [\n    {\"id\": 'a'}\n  ]\n}", 3)]
    [InlineData("{\"tasks\": [],}", 1)]
    [InlineData("{\"tasks\": [] /* note */}", 1)]
    public void Malformed_json_is_invalid_json_with_its_line(string json, int line)
    {
        var error = Assert.Single(TreeJson.Parse(json).Errors);
        Assert.Equal(ValidationCodes.InvalidJson, error.Code);
        Assert.Contains($"line {line}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_repeated_property_is_invalid_json()
    {
        var error = Assert.Single(TreeJson.Parse("{\"tasks\": [], \"tasks\": []}").Errors);
        Assert.Equal(ValidationCodes.InvalidJson, error.Code);
        Assert.Contains("tasks", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_invalid_json()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100);
        var error = Assert.Single(TreeJson.Parse($"{{\"tasks\":[{{\"id\":\"a\",\"name\":\"x\",\"inputs\":{deep}}}]}}").Errors);
        Assert.Equal(ValidationCodes.InvalidJson, error.Code);
        Assert.Contains("depth", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("[]", "$")]
    [InlineData("\"tasks\"", "$")]
    [InlineData("null", "$")]
    [InlineData("{}", "$.tasks")]
    [InlineData("{\"tasks\": {}}", "$.tasks")]
    [InlineData("{\"tasks\": [1]}", "$.tasks[0]")]
    [InlineData("{\"tasks\": [{\"name\": \"x\"}]}", "$.tasks[0].id")]
    [InlineData("{\"tasks\": [{\"id\": \"a\"}]}", "$.tasks[0].name")]
    [InlineData("{\"tasks\": [{\"id\": 5, \"name\": \"x\"}]}", "$.tasks[0].id")]
    [InlineData("{\"tasks\": [{\"id\": \"a\", \"name\": \"x\", \"priority\": \"high\"}]}", "$.tasks[0].priority")]
    [InlineData("{\"tasks\": [{\"id\": \"a\", \"name\": \"x\", \"priority\": 1.5}]}", "$.tasks[0].priority")]
    [InlineData("{\"tasks\": [{\"id\": \"a\", \"name\": \"x\", \"priority\": 1e20}]}", "$.tasks[0].priority")]
    [InlineData("{\"tasks\": [{\"id\": \"a\", \"name\": \"x\", \"inputs\": [1]}]}", "$.tasks[0].inputs")]
    [InlineData("{\"tasks\": [{\"id\": \"a\", \"name\": \"x\", \"dependencies\": \"b\"}]}", "$.tasks[0].dependencies")]
    [InlineData("{\"tasks\": [{\"id\": \"a\", \"name\": \"x\", \"dependencies\": [7]}]}", "$.tasks[0].dependencies[0]")]
    [InlineData("{\"tasks\": [{\"id\": \"a\", \"name\": \"x\", \"dependencies\": [{\"required\": true}]}]}", "$.tasks[0].dependencies[0].id")]
    [InlineData("{\"tasks\": [{\"id\": \"a\", \"name\": \"x\", \"dependencies\": [{\"id\": \"b\", \"required\": \"yes\"}]}]}", "$.tasks[0].dependencies[0].required")]
    [InlineData("{\"tasks\": [{\"id\": \"a\", \"name\": \"x\", \"retry\": 3}]}", "$.tasks[0].retry")]
    [InlineData("{\"tasks\": [{\"id\": \"a\", \"name\": \"x\", \"retry\": {}}]}", "$.tasks[0].retry.max_attempts")]
    [InlineData("{\"tasks\": [{\"id\": \"a\", \"name\": \"x\", \"timeout_seconds\": \"30\"}]}", "$.tasks[0].timeout_seconds")]
    [InlineData("{\"tasks\": [{\"id\": \"a\", \"name\": \"x\", \"dependecies\": []}]}", "$.tasks[0].dependecies")]
    [InlineData("{\"tasks\": [], \"max_parallelism\": true}", "$.max_parallelism")]
    [InlineData("{\"tasks\": [], \"use_demo\": 1}", "$.use_demo")]
    [InlineData("{\"tasks\": [], \"tree_id\": 12}", "$.tree_id")]
    [InlineData("{\"tasks\": [], \"extra\": 1}", "$.extra")]
    public void Wrong_shapes_are_invalid_request_with_a_path(string json, string path)
    {
        var errors = TreeJson.Parse(json).Errors;
        var error = Assert.Single(errors);
        Assert.Equal(ValidationCodes.InvalidRequest, error.Code);
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void Reports_every_shape_problem_at_once()
    {
        var result = TreeJson.Parse("""{"tasks":[{"id":1,"name":"x"},{"id":"b"},{"id":"c","name":"x","priority":"p"}]}""");
        Assert.Null(result.Tree);
        Assert.Equal(["$.tasks[0].id", "$.tasks[1].name", "$.tasks[2].priority"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Inputs_survive_the_source_document()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes("""{"tasks":[{"id":"a","name":"x","inputs":{"n":[1,2]}}]}""");
        var tree = TreeJson.Parse(bytes).Tree!;
        Array.Clear(bytes);
        Assert.Equal("[1,2]", tree.Tasks[0].Inputs!.Value.GetProperty("n").GetRawText());
        Assert.Equal(JsonValueKind.Object, tree.Tasks[0].Inputs!.Value.ValueKind);
    }
}
