using System.Globalization;
using System.Text.Json.Nodes;

namespace DurableFlow.Tests.Infra;

/// <summary>Checks host.json's production settings and the local settings template.</summary>
public sealed class HostJsonTests
{
    // Keys documented for extensions.durableTask (Durable Functions 2.x/3.x host.json reference).
    private static readonly HashSet<string> DurableTaskKeys = new(StringComparer.Ordinal)
    {
        "hubName", "defaultVersion", "versionMatchStrategy", "versionFailureStrategy", "storageProvider", "tracing",
        "httpSettings", "notifications", "maxConcurrentActivityFunctions", "maxConcurrentOrchestratorFunctions",
        "maxConcurrentEntityFunctions", "extendedSessionsEnabled", "extendedSessionIdleTimeoutInSeconds",
        "useAppLease", "useGracefulShutdown", "maxEntityOperationBatchSize", "maxOrchestrationActions",
        "storeInputsInOrchestrationHistory", "maxGrpcMessageSizeInBytes", "grpcHttpClientTimeout",
    };

    // Keys documented for extensions.durableTask.storageProvider with the Azure Storage provider.
    private static readonly HashSet<string> AzureStorageProviderKeys = new(StringComparer.Ordinal)
    {
        "type", "connectionName", "connectionStringName", "controlQueueBatchSize", "controlQueueBufferThreshold",
        "controlQueueVisibilityTimeout", "workItemQueueVisibilityTimeout", "FetchLargeMessagesAutomatically",
        "maxQueuePollingInterval", "partitionCount", "trackingStoreConnectionName", "trackingStoreConnectionStringName",
        "trackingStoreNamePrefix", "useLegacyPartitionManagement", "useTablePartitionManagement", "QueueClientMessageEncoding",
    };

    private static readonly HashSet<string> TracingKeys = new(StringComparer.Ordinal)
    {
        "traceInputsAndOutputs", "traceReplayEvents",
    };

    private static JsonNode HostJson() =>
        JsonNode.Parse(File.ReadAllText(RepoPaths.Of("host.json")))
            ?? throw new InvalidOperationException("host.json is empty");

    [Fact]
    public void Host_json_takes_the_task_hub_name_from_a_setting()
    {
        var host = HostJson();
        Assert.Equal("2.0", (string?)host["version"]);
        Assert.Equal("%DurableFlowTaskHub%", (string?)host["extensions"]?["durableTask"]?["hubName"]);
        Assert.Equal("api", (string?)host["extensions"]?["http"]?["routePrefix"]);
    }

    [Fact]
    public void Durable_settings_use_only_documented_keys()
    {
        var durable = HostJson()["extensions"]?["durableTask"]?.AsObject() ?? [];
        foreach (var (key, _) in durable)
        {
            Assert.True(DurableTaskKeys.Contains(key), $"extensions.durableTask.{key} is not a documented setting");
        }

        foreach (var (key, _) in durable["storageProvider"]?.AsObject() ?? [])
        {
            Assert.True(AzureStorageProviderKeys.Contains(key), $"extensions.durableTask.storageProvider.{key} is not a documented setting");
        }

        foreach (var (key, _) in durable["tracing"]?.AsObject() ?? [])
        {
            Assert.True(TracingKeys.Contains(key), $"extensions.durableTask.tracing.{key} is not a documented setting");
        }
    }

    [Fact]
    public void Durable_settings_fit_the_Azure_Storage_provider_on_Flex_Consumption()
    {
        var durable = HostJson()["extensions"]?["durableTask"] ?? throw new InvalidOperationException("no durableTask section");
        var provider = durable["storageProvider"];
        Assert.Equal("AzureStorage", (string?)provider?["type"]);
        Assert.InRange((int?)provider?["partitionCount"] ?? 0, 1, 16);

        // Flex Consumption guidance: poll the queues at least every 10 seconds.
        var polling = TimeSpan.Parse((string?)provider?["maxQueuePollingInterval"] ?? "", CultureInfo.InvariantCulture);
        Assert.InRange(polling, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

        Assert.InRange((int?)durable["maxConcurrentActivityFunctions"] ?? 0, 1, 100);
        Assert.InRange((int?)durable["maxConcurrentOrchestratorFunctions"] ?? 0, 1, 100);

        // Task inputs can carry credentials for REST targets: never log them.
        Assert.False((bool?)durable["tracing"]?["traceInputsAndOutputs"] ?? false);
    }

    [Fact]
    public void Queue_visibility_timeouts_bound_a_crash_stall_within_what_the_extension_accepts()
    {
        var provider = HostJson()["extensions"]?["durableTask"]?["storageProvider"] ?? throw new InvalidOperationException("no storageProvider");
        var control = TimeSpan.Parse((string?)provider["controlQueueVisibilityTimeout"] ?? "", CultureInfo.InvariantCulture);
        var workItem = TimeSpan.Parse((string?)provider["workItemQueueVisibilityTimeout"] ?? "", CultureInfo.InvariantCulture);

        // The extension refuses to start the host outside 1–60 minutes (AzureStorageOptions.Validate); the
        // minimum is what bounds a stall on a control message that a crashed worker had dequeued.
        Assert.InRange(control, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        // A running activity's message is renewed every 5 s once its lock is within 30 s of expiry
        // (TaskActivityDispatcher.RenewUntil): 30 s leaves 25 s of slack, and bounds the stall after a crash.
        Assert.InRange(workItem, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Local_settings_template_names_a_task_hub()
    {
        var values = JsonNode.Parse(File.ReadAllText(RepoPaths.Of("local.settings.sample.json")))?["Values"];
        Assert.False(string.IsNullOrWhiteSpace((string?)values?["DurableFlowTaskHub"]));
    }
}
