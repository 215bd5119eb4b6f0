using System.Text.Json;
using DurableFlow.Executors;
using static DurableFlow.Testing.ExecutorTestSupport;

namespace DurableFlow.Tests.Executors;

public class AggregateResultsExecutorTests
{
    private static readonly AggregateResultsExecutor Executor = new();

    [Fact]
    public async Task Returns_the_dependency_results_keyed_by_id()
    {
        var dependencies = new Dictionary<string, JsonElement>
        {
            ["b"] = Json("""{"status_code":200,"json":{"x":[1,2]}}"""),
            ["a"] = Json("42"),
            ["c"] = Json("null"),
        };

        var result = await Executor.ExecuteAsync(Context(dependencyResults: dependencies));

        Assert.Equal(["a", "b", "c"], result.EnumerateObject().Select(p => p.Name));
        Assert.Equal(42, result.GetProperty("a").GetInt32());
        Assert.Equal(2, result.GetProperty("b").GetProperty("json").GetProperty("x")[1].GetInt32());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("c").ValueKind);
        Assert.Equal(result.GetRawText(), Executor.DemoResult(Context(dependencyResults: dependencies)).GetRawText());
    }

    [Fact]
    public async Task No_dependencies_give_an_empty_object_and_inputs_are_refused()
    {
        var result = await Executor.ExecuteAsync(Context());

        Assert.Equal(JsonValueKind.Object, result.ValueKind);
        Assert.Empty(result.EnumerateObject());
        var ex = await Assert.ThrowsAsync<InvalidTaskInputException>(() => Executor.ExecuteAsync(Context("""{"x":1}""")));
        Assert.Equal("inputs.x is not an input of this executor; its inputs are: none", ex.Message);
    }
}
