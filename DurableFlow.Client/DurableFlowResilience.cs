using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace DurableFlow.Client;

/// <summary>
/// The retry pipeline of every request. Retrying a POST is safe here: a submission is idempotent by
/// <c>tree_id</c> (the client always sends one), a repeated cancel answers 202 again, and two reruns
/// start at most one run (the server's compare-and-set; the repeat answers 409).
/// </summary>
public static class DurableFlowResilience
{
    /// <summary>Adds retry (outer) and a per-attempt timeout (inner) to <paramref name="builder"/>.</summary>
    public static ResiliencePipelineBuilder<HttpResponseMessage> AddDurableFlowRetry(
        this ResiliencePipelineBuilder<HttpResponseMessage> builder, DurableFlowRetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.Delay,
                MaxDelay = options.MaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
            });
        }
        return builder.AddTimeout(options.AttemptTimeout);
    }

    /// <summary>
    /// Whether an attempt's outcome is worth repeating. Not a 500: the API answers it for a fault a repeat
    /// would most likely meet again, so it reaches the caller at once.
    /// </summary>
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests
            or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout,
        _ => false,
    };

    /// <summary>A handler chain that retries, for use without <c>IHttpClientFactory</c>.</summary>
    public static DelegatingHandler CreateHandler(DurableFlowRetryOptions options, TimeProvider timeProvider, HttpMessageHandler innerHandler)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider }
            .AddDurableFlowRetry(options)
            .Build();
        return new ResilienceHandler(pipeline) { InnerHandler = innerHandler };
    }
}
