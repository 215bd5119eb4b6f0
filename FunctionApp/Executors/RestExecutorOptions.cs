namespace DurableFlow.Executors;

/// <summary>
/// Settings of <c>rest_executor</c>, bound from the <c>RestExecutor</c> configuration section
/// (app settings <c>RestExecutor__AllowPrivateNetworks</c>, ...).
/// </summary>
public sealed class RestExecutorOptions
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "RestExecutor";

    /// <summary>Longest <c>timeout_seconds</c> a task may ask for.</summary>
    public const double MaxTimeoutSeconds = 300;

    /// <summary>Largest <see cref="MaxResponseBytes"/> accepted: results are stored, so bodies stay modest.</summary>
    public const int MaxResponseBytesLimit = 64 * 1024 * 1024;

    /// <summary>
    /// Allow loopback and private ranges (127/8, ::1, 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7).
    /// Off by default: tasks come from API callers, and the app's own network is not theirs to reach.
    /// Link-local and metadata addresses stay blocked regardless.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>Largest response body read, in bytes; a larger body fails the task. Default 1 MiB.</summary>
    public int MaxResponseBytes { get; set; } = 1024 * 1024;

    /// <summary>Timeout of a request whose task gives no <c>timeout_seconds</c>. Default 30.</summary>
    public double DefaultTimeoutSeconds { get; set; } = 30;
}
