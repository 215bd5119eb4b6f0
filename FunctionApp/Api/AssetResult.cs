using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace DurableFlow.Api;

/// <summary>A fixed body with its content type; self-contained like <see cref="ApiResult"/>.</summary>
public sealed class AssetResult(ReadOnlyMemory<byte> body, string contentType, string? contentSecurityPolicy = null) : IActionResult
{
    public ReadOnlyMemory<byte> Body { get; } = body;

    public string ContentType { get; } = contentType;

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.ContentLength = Body.Length;
        response.Headers.CacheControl = "no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        if (contentSecurityPolicy is not null)
        {
            response.Headers.ContentSecurityPolicy = contentSecurityPolicy;
        }

        await response.Body.WriteAsync(Body, context.HttpContext.RequestAborted);
    }
}
