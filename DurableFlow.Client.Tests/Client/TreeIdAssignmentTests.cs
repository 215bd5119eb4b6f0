using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;

namespace DurableFlow.Client.Tests.Client;

public class TreeIdAssignmentTests
{
    private static readonly Gen<string> Name = Gen.String[Gen.Char['a', 'z'], 1, 8];

    [Fact]
    public void A_tree_without_an_id_gains_one_and_keeps_everything_else_as_written()
    {
        Gen.Dictionary(Name.Where(n => n != "tree_id"), Gen.Int)[0, 6].Sample(fields =>
        {
            var json = JsonSerializer.Serialize(fields);

            var sent = JsonNode.Parse(DurableFlowClient.WithTreeId(json, null))!.AsObject();

            Assert.Matches("^[0-9a-f]{32}$", (string)sent["tree_id"]!);
            Assert.Equal(fields.Count + 1, sent.Count);
            Assert.All(fields, f => Assert.Equal(f.Value, (int)sent[f.Key]!));
        });
    }

    [Fact]
    public void A_tree_with_an_id_is_sent_untouched_unless_another_is_given()
    {
        const string json = """{ "tree_id" : "mine",  "tasks": [] }""";

        Assert.Same(json, DurableFlowClient.WithTreeId(json, null));
        Assert.Equal("""{"tree_id":"other","tasks":[]}""", DurableFlowClient.WithTreeId(json, "other"));
    }

    [Theory]
    [InlineData("[1, 2]")]
    [InlineData("{\"a\": 1, \"a\": 2}")]
    [InlineData("not json")]
    public void Json_the_client_cannot_read_as_an_object_is_sent_as_it_is(string json)
    {
        Assert.Same(json, DurableFlowClient.WithTreeId(json, null));
    }
}
