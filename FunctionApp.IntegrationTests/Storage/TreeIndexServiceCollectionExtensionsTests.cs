using DurableFlow.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DurableFlow.Tests.Storage;

public sealed class TreeIndexServiceCollectionExtensionsTests : IClassFixture<TableStorageFixture>
{
    private readonly TableStorageFixture _fixture;

    public TreeIndexServiceCollectionExtensionsTests(TableStorageFixture fixture) => _fixture = fixture;

    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    [Fact]
    public async Task A_connection_string_in_AzureWebJobsStorage_reaches_the_table()
    {
        var configuration = Config(("AzureWebJobsStorage", _fixture.ConnectionString), ("TreeIndex:TableName", _fixture.TableName!));
        using var provider = new ServiceCollection().AddTreeIndex(configuration).BuildServiceProvider();

        var index = provider.GetRequiredService<ITreeIndex>();
        var entry = Entries.New(Entries.NewTreeId(), Entries.NewUserId());

        Assert.Same(index, provider.GetRequiredService<ITreeIndex>());
        Assert.Equal(_fixture.TableName, Assert.IsType<TableTreeIndex>(index).TableName);
        Assert.True((await index.TryAddAsync(entry)).Added);
        Assert.Equal(entry, await index.GetAsync(entry.TreeId));
    }

    [Fact]
    public void TreeIndex_Connection_names_another_setting_and_the_table_has_a_default()
    {
        var configuration = Config(("TreeIndex:Connection", "Other"), ("Other", "UseDevelopmentStorage=true"));
        using var provider = new ServiceCollection().AddTreeIndex(configuration).BuildServiceProvider();

        var index = Assert.IsType<TableTreeIndex>(provider.GetRequiredService<ITreeIndex>());

        Assert.Equal(TableTreeIndex.DefaultTableName, index.TableName);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("managedidentity", null)]
    [InlineData("managedidentity", "00000000-0000-0000-0000-000000000001")]
    [InlineData(null, "00000000-0000-0000-0000-000000000001")]
    public void Identity_based_settings_use_the_table_service_uri(string? credential, string? clientId)
    {
        var settings = new List<(string, string)> { ("AzureWebJobsStorage:tableServiceUri", "https://acct.table.core.windows.net/") };
        if (credential is not null)
        {
            settings.Add(("AzureWebJobsStorage:credential", credential));
        }

        if (clientId is not null)
        {
            settings.Add(("AzureWebJobsStorage:clientId", clientId));
        }

        var client = TreeIndexServiceCollectionExtensions.CreateTableServiceClient(Config([.. settings]), "AzureWebJobsStorage");

        Assert.Equal(new Uri("https://acct.table.core.windows.net/"), client.Uri);
        Assert.Equal("acct", client.AccountName);
    }

    [Fact]
    public void An_account_name_alone_gives_the_public_endpoint()
    {
        var client = TreeIndexServiceCollectionExtensions.CreateTableServiceClient(Config(("AzureWebJobsStorage:accountName", "acct")), "AzureWebJobsStorage");

        Assert.Equal(new Uri("https://acct.table.core.windows.net/"), client.Uri);
    }

    [Fact]
    public void A_missing_connection_fails_with_what_to_set()
    {
        using var provider = new ServiceCollection().AddTreeIndex(Config()).BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<ITreeIndex>());

        Assert.Contains("AzureWebJobsStorage__tableServiceUri", error.Message, StringComparison.Ordinal);
    }
}
