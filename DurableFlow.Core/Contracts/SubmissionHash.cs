using System.Security.Cryptography;
using System.Text.Json;
using DurableFlow.Graph;

namespace DurableFlow.Contracts;

/// <summary>
/// The request hash of a submission, version 1: SHA-256 (hex) of the validated tree, tree id and owner
/// filled in, as <see cref="TaskTreeV1"/> in snake_case with object properties sorted (the canonical form).
/// The index stores it to tell an identical resubmission from a clash, so the canonical form is a wire
/// contract: it hashes the wire type, never the domain record, and a golden test pins one value. Whitespace, property order and spelled-out defaults
/// (e.g. <c>"priority": 1</c>) do not change it; any value that changes the run does.
/// </summary>
public static class SubmissionHash
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        MaxDepth = 256,
    };

    public static string Compute(TaskTree tree)
    {
        using var document = JsonSerializer.SerializeToDocument(tree.ToWire(), Options);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = 256 }))
        {
            WriteCanonical(writer, document.RootElement);
        }

        return Convert.ToHexStringLower(SHA256.HashData(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)));
    }

    // Recursion is bounded: TreeJson rejects bodies nested deeper than 64.
    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
