using System.Text;

namespace DurableFlow.Api;

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
