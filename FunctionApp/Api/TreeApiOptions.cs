using DurableFlow.Graph;

namespace DurableFlow.Api;

/// <summary>Limits of the HTTP API, bound from the <c>Api</c> configuration section
/// (<c>Api__MaxRequestBytes</c> as an app setting).</summary>
public sealed class TreeApiOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Api";

    /// <summary>Default body limit: 8 MiB (a 20,000-task tree with modest inputs).</summary>
    public const long DefaultMaxRequestBytes = 8 * 1024 * 1024;

    /// <summary>Largest request body accepted, in bytes; larger bodies get 413 <c>payload_too_large</c>.</summary>
    public long MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;

    /// <summary>Most tasks a submitted tree may have.</summary>
    public int MaxTasks { get; set; } = ValidationOptions.DefaultMaxTasks;

    /// <summary>Most dependencies a single task may list.</summary>
    public int MaxDependenciesPerTask { get; set; } = ValidationOptions.DefaultMaxDependenciesPerTask;

    /// <summary>
    /// How long a reserved (not yet confirmed started) submission is left to the request that reserved it.
    /// A repeated identical submission within this time answers 200 without starting anything; after it,
    /// the repeat starts the orchestration if it is still missing (recovering a crashed first request).
    /// </summary>
    public TimeSpan ReservationGracePeriod { get; set; } = TimeSpan.FromSeconds(30);
}
