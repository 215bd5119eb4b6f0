using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace DurableFlow.Graph;

/// <summary>
/// The one way request bodies are read as JSON (the tree and the rerun body): UTF-8 only (a leading BOM
/// ignored), no comments or trailing commas, no repeated property, at most <see cref="MaxDepth"/> deep,
/// and no escaped lone surrogate. Every rejection is an <c>invalid_json</c> error with a position.
/// </summary>
public static class StrictJson
{
    /// <summary>Deepest JSON nesting accepted.</summary>
    public const int MaxDepth = 64;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = MaxDepth,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>Parses <paramref name="utf8Json"/>; on success the caller disposes <paramref name="document"/>.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> utf8Json, [NotNullWhen(true)] out JsonDocument? document, [NotNullWhen(false)] out ValidationError? error)
    {
        document = null;
        // RFC 8259 lets a parser ignore a UTF-8 byte order mark; some clients (PowerShell 5, editors) send one.
        if (utf8Json.Span.StartsWith(Utf8Bom))
        {
            utf8Json = utf8Json[Utf8Bom.Length..];
        }

        // The parser checks structure, not text: bytes that are not UTF-8 and \uD800-style escapes of a lone
        // surrogate only fail when a string is read (an InvalidOperationException, a 500), or pass on to
        // storage and executors. Both are rejected here, before anything reads a string.
        if (FindInvalidUtf8(utf8Json.Span) is { } badByte)
        {
            error = new(ValidationCodes.InvalidJson, $"the body is not valid UTF-8 (at byte {badByte}): send JSON encoded as UTF-8", "$");
            return false;
        }

        JsonDocument parsed;
        try
        {
            parsed = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException ex)
        {
            error = InvalidJson(ex);
            return false;
        }
        catch (InvalidOperationException)
        {
            // The duplicate-property check decodes property names: a lone surrogate escape in one ends up here.
            error = LoneSurrogate(null);
            return false;
        }

        if (FindUnpairedSurrogateEscape(utf8Json.Span) is { } badEscape)
        {
            parsed.Dispose();
            error = LoneSurrogate(badEscape);
            return false;
        }

        document = parsed;
        error = null;
        return true;
    }

    private static ValidationError LoneSurrogate(long? offset) =>
        new(ValidationCodes.InvalidJson, $"the body is not valid JSON text{(offset is null ? "" : $" (at byte {offset})")}: a string escapes a lone UTF-16 surrogate; \\uD800-\\uDFFF escapes must come in pairs", "$");

    /// <summary>The offset of the first byte that is not part of valid UTF-8, or null.</summary>
    private static int? FindInvalidUtf8(ReadOnlySpan<byte> utf8)
    {
        if (System.Text.Unicode.Utf8.IsValid(utf8))
        {
            return null;
        }

        var offset = 0;
        while (offset < utf8.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(utf8[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return null;
    }

    /// <summary>The offset of the first escaped string or property name that does not decode (a lone
    /// surrogate escape), or null. Runs on JSON the document parser accepted; only escaped strings are decoded.</summary>
    private static long? FindUnpairedSurrogateEscape(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth });
        while (reader.Read())
        {
            if ((reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName) && reader.ValueIsEscaped)
            {
                string? text;
                try
                {
                    text = reader.GetString();
                }
                catch (InvalidOperationException)
                {
                    return reader.TokenStartIndex;
                }

                // Some lone escapes decode without an error (e.g. a high surrogate at the end of a string).
                if (text is not null && !Utf16Text.IsWellFormed(text))
                {
                    return reader.TokenStartIndex;
                }
            }
        }

        return null;
    }

    private static ValidationError InvalidJson(JsonException ex)
    {
        var where = ex.LineNumber is { } line
            ? $" at line {line + 1}, position {(ex.BytePositionInLine ?? 0) + 1}"
            : string.Empty;
        // The exception message repeats the position in its own words; keep only the first sentence.
        var reason = ex.Message;
        var cut = reason.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            reason = reason[..cut].TrimEnd(' ', '|', '.');
        }

        return new(ValidationCodes.InvalidJson, $"the body is not valid JSON{where}: {reason}", ex.Path);
    }
}
