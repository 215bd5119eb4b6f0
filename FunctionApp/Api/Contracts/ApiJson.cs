using System.Text.Json;
using System.Text.Json.Serialization;

namespace DurableFlow.Api;

/// <summary>The JSON settings of every API body: snake_case, nulls written (the contract lists them).</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        MaxDepth = 512,
    };
}
