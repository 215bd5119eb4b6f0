using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace DurableFlow.Api;

/// <summary>
/// The API description (<c>GET /api/openapi.json</c>) and the dashboard page (<c>GET /api/dashboard</c>),
/// both embedded resources of this assembly. Anonymous so a browser can open them; the data routes
/// the dashboard calls keep their function keys (the page forwards <c>?code=</c> as <c>x-functions-key</c>).
/// </summary>
public static class ApiDocsFunctions
{
    [Function("OpenApiDocument")]
    public static IActionResult OpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        new AssetResult(ApiAssets.OpenApiJson, "application/json; charset=utf-8");

    [Function("Dashboard")]
    public static IActionResult Dashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest request) =>
        new AssetResult(ApiAssets.DashboardHtml, "text/html; charset=utf-8", ApiAssets.DashboardContentSecurityPolicy);
}

/// <summary>The embedded assets, read once.</summary>
public static class ApiAssets
{
    /// <summary>Only inline script and style, API calls to this origin, nothing fetched from elsewhere.</summary>
    public const string DashboardContentSecurityPolicy =
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static readonly Lazy<byte[]> OpenApi = new(() => Read("DurableFlow.Api.openapi.json"));
    private static readonly Lazy<byte[]> Page = new(() => Read("DurableFlow.Api.dashboard.html"));

    /// <summary>The OpenAPI 3 document (UTF-8 JSON).</summary>
    public static ReadOnlyMemory<byte> OpenApiJson => OpenApi.Value;

    /// <summary>The dashboard page (UTF-8 HTML).</summary>
    public static ReadOnlyMemory<byte> DashboardHtml => Page.Value;

    /// <summary>An asset as text.</summary>
    public static string Text(ReadOnlyMemory<byte> asset) => Encoding.UTF8.GetString(asset.Span);

    private static byte[] Read(string name)
    {
        using var stream = typeof(ApiAssets).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the embedded resource '{name}' is missing from the build");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}

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
