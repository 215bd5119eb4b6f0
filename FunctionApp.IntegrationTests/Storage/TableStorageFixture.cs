using Azure.Data.Tables;
using DurableFlow.Graph;
using DurableFlow.Storage;

namespace DurableFlow.Tests.Storage;

/// <summary>
/// A private table on the Azurite that ./test.sh starts (connection string in
/// <c>DURABLEFLOW_TEST_STORAGE</c>), deleted when the test class ends. Without that variable every test of
/// the class fails — the Table Storage tests must not pass by not running.
/// </summary>
public sealed class TableStorageFixture : IAsyncLifetime
{
    public const string Variable = "DURABLEFLOW_TEST_STORAGE";

    private readonly string? _connectionString = Environment.GetEnvironmentVariable(Variable);

    public TableStorageFixture()
    {
        if (!string.IsNullOrWhiteSpace(_connectionString))
        {
            Service = new TableServiceClient(_connectionString);
            TableName = "t" + Guid.NewGuid().ToString("N");
        }
    }

    /// <summary>The connection string, or an exception that says how to run these tests.</summary>
    public string ConnectionString => string.IsNullOrWhiteSpace(_connectionString) ? throw NotConfigured() : _connectionString;

    public TableServiceClient? Service { get; }

    public string? TableName { get; }

    public TableTreeIndex CreateIndex() => new(Service ?? throw NotConfigured(), TableName!);

    public TableClient Table => (Service ?? throw NotConfigured()).GetTableClient(TableName);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (Service is not null)
        {
            await Service.DeleteTableAsync(TableName);
        }
    }

    private static InvalidOperationException NotConfigured() =>
        new($"{Variable} is not set: the Table Storage tests need Azurite. Run them with ./test.sh (e.g. ./test.sh --filter \"FullyQualifiedName~Storage\"), which starts Azurite and sets {Variable}.");
}

internal static class Entries
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A fresh tree id, so tests of one class never share a tree.</summary>
    public static string NewTreeId(string prefix = "tree") => $"{prefix}-{Guid.NewGuid():N}";

    /// <summary>A fresh user id, so tests of one class never share a user.</summary>
    public static string NewUserId(string prefix = "user") => $"{prefix}@{Guid.NewGuid():N}";

    public static TreeIndexEntry New(
        string treeId, string userId, DateTimeOffset? createdAt = null, string requestHash = "hash-1", int taskCount = 3) =>
        new(treeId, userId, createdAt ?? Epoch, null, taskCount, TreeStatus.Pending, new TaskCounts(taskCount, 0, 0, 0, 0, 0), 1, requestHash, TreeIndexState.Reserved);
}
