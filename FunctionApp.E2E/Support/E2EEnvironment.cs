namespace DurableFlow.E2E.Support;

/// <summary>
/// Where the suite finds the app: set by ./e2e.sh, or by hand to test a deployment
/// (<c>E2E_BASE_URL</c>, <c>E2E_FUNCTION_KEY</c>).
/// </summary>
public static class E2EEnvironment
{
    /// <summary>The app's root URL, e.g. <c>http://127.0.0.1:7071</c>; null when the suite is not configured.</summary>
    public static Uri? BaseUrl { get; } = Uri.TryCreate(Environment.GetEnvironmentVariable("E2E_BASE_URL"), UriKind.Absolute, out var url) ? url : null;

    /// <summary>Sent as <c>x-functions-key</c> when set.</summary>
    public static string? FunctionKey { get; } = NullIfEmpty(Environment.GetEnvironmentVariable("E2E_FUNCTION_KEY"));

    /// <summary>The script that starts, stops and kills the host (FunctionApp.E2E/host.sh); null when the host is not ours.</summary>
    public static string? HostControl { get; } = NullIfEmpty(Environment.GetEnvironmentVariable("E2E_HOST_CONTROL"));

    /// <summary>
    /// True when the app runs on this machine, so it can call the suite's own HTTP server on 127.0.0.1
    /// (REST tasks that count their executions).
    /// </summary>
    public static bool HostIsLocal => BaseUrl is { IsLoopback: true };

    public const string NotConfigured = "E2E_BASE_URL is not set: run ./e2e.sh (it starts a Functions host) or point E2E_BASE_URL at a running app";

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
