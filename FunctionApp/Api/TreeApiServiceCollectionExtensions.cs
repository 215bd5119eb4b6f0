using DurableFlow.Application;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DurableFlow.Api;

/// <summary>Registers the HTTP API.</summary>
public static class TreeApiServiceCollectionExtensions
{
    /// <summary>Registers <see cref="TreeApi"/>, the application services it calls, <see cref="PrincipalTrust"/> and <see cref="TreeApiOptions"/> (section <c>Api</c>);
    /// needs the tree index and the executors registered too.</summary>
    public static IServiceCollection AddTreeApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<TreeApiOptions>()
            .Bind(configuration.GetSection(TreeApiOptions.Section))
            .Validate(o => o.MaxRequestBytes is > 0 and < int.MaxValue, "Api:MaxRequestBytes must be 1 to 2147483646")
            .Validate(o => o.MaxTasks > 0, "Api:MaxTasks must be positive")
            .Validate(o => o.MaxDependenciesPerTask > 0, "Api:MaxDependenciesPerTask must be positive")
            .Validate(o => o.ReservationGracePeriod > TimeSpan.Zero, "Api:ReservationGracePeriod must be positive")
            .ValidateOnStart();
        // Read once: WEBSITE_AUTH_ENABLED and Api:TrustPrincipalHeaders do not change while the app runs.
        services.TryAddSingleton(_ => PrincipalTrust.From(configuration));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<TreeAccess>();
        services.TryAddSingleton<TreeSubmission>();
        services.TryAddSingleton<TreeReader>();
        services.TryAddSingleton<TreeCancellation>();
        services.TryAddSingleton<TreeRerun>();
        services.TryAddSingleton<TreeReconciliation>();
        services.TryAddSingleton<TreeTermination>();
        services.TryAddSingleton<TreeApi>();
        return services;
    }
}
