using System.Net;

namespace DurableFlow.E2E.Support;

/// <summary>One answer of the API: status, parsed JSON body (null when not JSON) and headers.</summary>
public sealed record ApiResponse(HttpStatusCode Status, JsonNode? Body, string Text, string? ContentType, Uri? Location)
{
    /// <summary>The error code of a <c>{"error": {...}}</c> answer.</summary>
    public string? ErrorCode => Body?["error"]?["code"]?.GetValue<string>();

    /// <summary>The codes of the error's details, in order.</summary>
    public IReadOnlyList<string> DetailCodes =>
        Body?["error"]?["details"]?.AsArray().Select(d => d!["code"]!.GetValue<string>()).ToList() ?? [];

    public override string ToString() => $"{(int)Status} {Text[..Math.Min(Text.Length, 2000)]}";
}
