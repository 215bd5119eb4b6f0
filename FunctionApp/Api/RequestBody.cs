using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace DurableFlow.Api;

/// <summary>Reads a JSON request body within a byte limit.</summary>
internal static class RequestBody
{
    private const int ChunkSize = 16 * 1024;

    /// <summary>Null when the content type is JSON (<c>application/json</c> or <c>application/*+json</c>,
    /// UTF-8 if a charset is given, quoted or not, in any case); otherwise the 415 answer.</summary>
    public static ApiResult? CheckContentType(HttpRequest request)
    {
        var contentType = request.ContentType;
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return Unsupported("the request has no Content-Type: send the tree as JSON with Content-Type: application/json");
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType.Value is not { } type)
        {
            return Unsupported($"Content-Type '{contentType}' is not a valid media type: use application/json");
        }

        var slash = type.IndexOf('/', StringComparison.Ordinal);
        var isJson = type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (slash > 0 && type[..slash].Equals("application", StringComparison.OrdinalIgnoreCase)
                && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase));
        if (!isJson)
        {
            return Unsupported($"Content-Type '{type}' is not JSON: use application/json");
        }

        // RFC 9110: charset="utf-8" equals charset=utf-8, and charset names are case-insensitive.
        var charset = media.Charset.HasValue ? HeaderUtilities.UnescapeAsQuotedString(media.Charset).Value : null;
        if (charset is not null && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            return Unsupported($"charset '{charset}' is not supported: send UTF-8");
        }

        return null;
    }

    /// <summary>
    /// The body, or the 413 answer. Checks Content-Length first, then counts bytes while reading and
    /// stops at <paramref name="limit"/> + 1: never holds more than that.
    /// </summary>
    public static async Task<(ReadOnlyMemory<byte> Body, ApiResult? Rejection)> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } length && length > limit)
        {
            return (default, TooLarge(limit));
        }

        var capacity = (int)Math.Min(limit + 1, request.ContentLength is { } known ? known + 1 : ChunkSize);
        var buffer = new byte[Math.Max(capacity, 1)];
        var total = 0;
        while (true)
        {
            if (total == buffer.Length)
            {
                if (total > limit)
                {
                    return (default, TooLarge(limit));
                }

                Array.Resize(ref buffer, (int)Math.Min(limit + 1, (long)buffer.Length * 2));
            }

            var read = await request.Body.ReadAsync(buffer.AsMemory(total, buffer.Length - total), cancellationToken);
            if (read == 0)
            {
                break;
            }

            total += read;
            if (total > limit)
            {
                return (default, TooLarge(limit));
            }
        }

        return (buffer.AsMemory(0, total), null);
    }

    private static ApiResult Unsupported(string message) =>
        ApiResult.Error(StatusCodes.Status415UnsupportedMediaType, ApiErrorCodes.UnsupportedMediaType, message);

    private static ApiResult TooLarge(long limit) =>
        ApiResult.Error(StatusCodes.Status413PayloadTooLarge, ApiErrorCodes.PayloadTooLarge,
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the request body is larger than the limit of {limit} bytes (Api:MaxRequestBytes)"));
}
