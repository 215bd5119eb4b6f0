using System.Text.Json;

namespace DurableFlow.Client;

/// <summary>The JSON settings of the wire contract: snake_case names, strict numbers.</summary>
public static class DurableFlowJson
{
    /// <summary>For reading answers and printing them as the API does (nulls written as <c>null</c>, never left out).</summary>
    public static JsonSerializerOptions Wire { get; } = Create(writeNulls: true);

    /// <summary>For request bodies: fields left null are left out, so the server applies its defaults.</summary>
    public static JsonSerializerOptions Request { get; } = Create(writeNulls: false);

    private static JsonSerializerOptions Create(bool writeNulls)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = writeNulls
                ? System.Text.Json.Serialization.JsonIgnoreCondition.Never
                : System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
