using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DurableFlow.Storage;

/// <summary>Registers the tree index.</summary>
public static class TreeIndexServiceCollectionExtensions
{
    /// <summary>The setting naming the storage connection setting to use; default <c>AzureWebJobsStorage</c>.</summary>
    public const string ConnectionSetting = "TreeIndex:Connection";

    /// <summary>The setting naming the table; default <see cref="TableTreeIndex.DefaultTableName"/>.</summary>
    public const string TableNameSetting = "TreeIndex:TableName";

    /// <summary>The connection used when <see cref="ConnectionSetting"/> is not set.</summary>
    public const string DefaultConnection = "AzureWebJobsStorage";

    /// <summary>
    /// Registers <see cref="ITreeIndex"/> as a singleton <see cref="TableTreeIndex"/> on the storage account
    /// of the Functions host, read the way the host reads it:
    /// <list type="bullet">
    /// <item><c>AzureWebJobsStorage</c> holding a connection string (including
    /// <c>UseDevelopmentStorage=true</c>); or</item>
    /// <item>identity-based: <c>AzureWebJobsStorage__tableServiceUri</c> (or <c>__accountName</c>), with
    /// <c>__credential=managedidentity</c> for a managed identity (user-assigned when <c>__clientId</c> is
    /// set) and otherwise <see cref="DefaultAzureCredential"/> (honouring <c>__clientId</c>).</item>
    /// </list>
    /// <c>TreeIndex:Connection</c> names another connection setting to read instead, and
    /// <c>TreeIndex:TableName</c> the table. Settings are read when the index is first resolved; the table
    /// is created on first use.
    /// </summary>
    public static IServiceCollection AddTreeIndex(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddSingleton<ITreeIndex>(_ =>
        {
            var connection = configuration[ConnectionSetting];
            var tableName = configuration[TableNameSetting];
            return new TableTreeIndex(
                CreateTableServiceClient(configuration, string.IsNullOrWhiteSpace(connection) ? DefaultConnection : connection),
                string.IsNullOrWhiteSpace(tableName) ? TableTreeIndex.DefaultTableName : tableName);
        });
        services.TryAddSingleton<Executors.IAttemptLedger>(provider =>
        {
            var connection = configuration[ConnectionSetting];
            return new TableAttemptLedger(
                CreateTableServiceClient(configuration, string.IsNullOrWhiteSpace(connection) ? DefaultConnection : connection),
                provider.GetRequiredService<Microsoft.Extensions.Logging.ILogger<TableAttemptLedger>>());
        });
        services.TryAddSingleton<IRunInputStore>(_ =>
        {
            var connection = configuration[ConnectionSetting];
            return new TableRunInputStore(CreateTableServiceClient(configuration, string.IsNullOrWhiteSpace(connection) ? DefaultConnection : connection));
        });
        return services;
    }

    /// <summary>The Table service client for the connection setting <paramref name="connectionName"/>.</summary>
    /// <exception cref="InvalidOperationException">The setting holds neither a connection string nor a
    /// table service URI or account name.</exception>
    internal static TableServiceClient CreateTableServiceClient(IConfiguration configuration, string connectionName)
    {
        var connectionString = configuration[connectionName];
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new TableServiceClient(connectionString, ClientOptions());
        }

        var section = configuration.GetSection(connectionName);
        var serviceUri = section["tableServiceUri"];
        var accountName = section["accountName"];
        Uri endpoint;
        if (!string.IsNullOrWhiteSpace(serviceUri))
        {
            endpoint = new Uri(serviceUri, UriKind.Absolute);
        }
        else if (!string.IsNullOrWhiteSpace(accountName))
        {
            endpoint = new Uri($"https://{accountName}.table.core.windows.net");
        }
        else
        {
            throw new InvalidOperationException(
                $"The tree index has no storage connection: set '{connectionName}' to a connection string, or " +
                $"'{connectionName}__tableServiceUri' (or '{connectionName}__accountName') for an identity-based connection.");
        }

        return new TableServiceClient(endpoint, CreateCredential(section["credential"], section["clientId"]), ClientOptions());
    }

    /// <summary>Retries of the Table clients: 2 retries 0.25 s and 0.5 s apart, 4 s per try. The SDK's default
    /// (3 retries from 0.8 s, exponential, 100 s per try) made an API call against unreachable storage take
    /// 5–6 s (refused) or minutes (no answer) before its 503; now it fails in under a second when refused and
    /// about 13 s at worst. A blip shorter than that is still ridden out.</summary>
    internal static TableClientOptions ClientOptions()
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 2;
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.Delay = TimeSpan.FromMilliseconds(250);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(1);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(4);
        return options;
    }

    private static TokenCredential CreateCredential(string? credential, string? clientId)
    {
        var hasClientId = !string.IsNullOrWhiteSpace(clientId);
        if (string.Equals(credential, "managedidentity", StringComparison.OrdinalIgnoreCase))
        {
            return new ManagedIdentityCredential(
                hasClientId ? ManagedIdentityId.FromUserAssignedClientId(clientId!) : ManagedIdentityId.SystemAssigned);
        }

        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = hasClientId ? clientId : null });
    }
}
