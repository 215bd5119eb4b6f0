using Microsoft.Extensions.DependencyInjection;

namespace DurableFlow.Client;

/// <summary>Registers <see cref="DurableFlowClient"/> as a typed client of <c>IHttpClientFactory</c>, with its retry pipeline.</summary>
public static class DurableFlowServiceCollectionExtensions
{
    public static IHttpClientBuilder AddDurableFlowClient(this IServiceCollection services, Action<DurableFlowClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new DurableFlowClientOptions();
        configure(options);
        services.AddSingleton(options);
        var builder = services.AddHttpClient<DurableFlowClient>();
        builder.AddResilienceHandler("durableflow", pipeline =>
        {
            pipeline.TimeProvider = options.TimeProvider;
            pipeline.AddDurableFlowRetry(options.Retry);
        });
        return builder;
    }
}
