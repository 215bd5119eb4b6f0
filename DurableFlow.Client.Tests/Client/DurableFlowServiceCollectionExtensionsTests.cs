using System.Net;
using DurableFlow.Client.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace DurableFlow.Client.Tests.Client;

public class DurableFlowServiceCollectionExtensionsTests
{
    [Fact]
    public async Task The_factory_registered_client_has_the_base_address_the_key_and_the_retry_pipeline()
    {
        var server = new FakeHandler(
            _ => FakeHandler.Error(HttpStatusCode.ServiceUnavailable, "service_unavailable", "later"),
            _ => FakeHandler.Json(HttpStatusCode.OK, new ExecutorListResponse { Executors = [new ExecutorView { Name = "rest_executor" }] }));
        var services = new ServiceCollection();
        services.AddDurableFlowClient(o =>
            {
                o.BaseAddress = new Uri("https://flow.example/api/");
                o.FunctionKey = "k";
                o.TimeProvider = new InstantTimeProvider();
                o.Retry.AttemptTimeout = TimeSpan.FromMinutes(10);
            })
            .ConfigurePrimaryHttpMessageHandler(() => server);
        await using var provider = services.BuildServiceProvider();

        var executors = await provider.GetRequiredService<DurableFlowClient>().ListExecutorsAsync();

        Assert.Equal("rest_executor", executors.Executors.Single().Name);
        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal("https://flow.example/api/executors", r.Uri.ToString()));
        Assert.All(server.Requests, r => Assert.Equal("k", r.FunctionKey));
    }
}
