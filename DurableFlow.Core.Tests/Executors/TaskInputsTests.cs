using DurableFlow.Executors;
using static DurableFlow.Testing.ExecutorTestSupport;

namespace DurableFlow.Tests.Executors;

public class TaskInputsTests
{
    [Fact]
    public void Absent_and_null_fields_take_defaults()
    {
        var inputs = new TaskInputs(Json("""{"a":null}"""));

        Assert.False(inputs.Has("a"));
        Assert.Equal("d", inputs.GetString("a", "d"));
        Assert.Equal(5, inputs.GetNumber("b", 5));
        Assert.True(inputs.GetBoolean("c", true));
        Assert.Empty(inputs.GetStringArray("d"));
        Assert.Empty(inputs.GetStringMap("e"));
        Assert.False(new TaskInputs(default).Has("a"));
    }

    [Fact]
    public void Reads_typed_values()
    {
        var inputs = new TaskInputs(Json("""{"s":"x","n":2.5,"b":false,"arr":["p","q"],"map":{"k":"v"}}"""));

        Assert.Equal("x", inputs.GetRequiredString("s"));
        Assert.Equal(2.5, inputs.GetNumber("n", 0, greaterThan: 0, atMost: 3));
        Assert.False(inputs.GetBoolean("b", true));
        Assert.Equal(["p", "q"], inputs.GetStringArray("arr"));
        Assert.Equal([new KeyValuePair<string, string>("k", "v")], inputs.GetStringMap("map"));
    }

    [Theory]
    [InlineData("""{"n":"1"}""", "inputs.n must be a number, got a string")]
    [InlineData("""{"n":4}""", "inputs.n must be more than 0 and at most 3, got 4")]
    [InlineData("""{"n":0}""", "inputs.n must be more than 0 and at most 3, got 0")]
    public void Number_errors_name_the_field(string json, string message)
    {
        var ex = Assert.Throws<InvalidTaskInputException>(() => new TaskInputs(Json(json)).GetNumber("n", 1, 0, 3));

        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Required_strings_must_be_present_and_non_empty()
    {
        Assert.Equal("inputs.s is required", Assert.Throws<InvalidTaskInputException>(() => new TaskInputs(Json("{}")).GetRequiredString("s")).Message);
        Assert.Equal("inputs.s must not be empty", Assert.Throws<InvalidTaskInputException>(() => new TaskInputs(Json("""{"s":""}""")).GetRequiredString("s")).Message);
    }

    [Fact]
    public void Unknown_fields_are_rejected_when_inputs_are_declared()
    {
        ExecutorInput[] known = [new("url", "string", true, "u"), new("method", "string", false, "m")];

        var ex = Assert.Throws<InvalidTaskInputException>(() => new TaskInputs(Json("""{"url":"x","mehtod":"GET"}"""), known));

        Assert.Equal("inputs.mehtod is not an input of this executor; its inputs are: url, method", ex.Message);
        Assert.Equal("x", new TaskInputs(Json("""{"url":"x","other":1}""")).GetString("url"));
    }
}
