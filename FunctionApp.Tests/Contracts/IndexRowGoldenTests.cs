using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using DurableFlow.Graph;
using DurableFlow.Storage;

namespace DurableFlow.Tests.Contracts;

/// <summary>Tree index rows outlive deployments: a row written before the restructuring still reads as
/// the same entry, and today's code writes the same properties and keys.</summary>
public class IndexRowGoldenTests
{
    private static readonly DateTime Created = new(2025, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc);

    private static readonly TreeIndexEntry Entry = new("golden-tree", "alice", new DateTimeOffset(Created), new DateTimeOffset(Created.AddSeconds(3)), 3,
        TreeStatus.Failed, new TaskCounts(0, 0, 2, 1, 0, 0), 1, "abc123", TreeIndexState.Started);

    private static Dictionary<string, JsonElement> Golden() =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(GoldenFiles.Read("index-row.v1.json"))!;

    [Fact]
    public void An_old_row_reads_as_the_same_entry()
    {
        var golden = Golden();
        var entity = new TableEntity(golden["PartitionKey"].GetString(), golden["RowKey"].GetString());
        foreach (var (name, value) in golden)
        {
            if (name is "PartitionKey" or "RowKey" or "UserRowPartitionKey" or "UserRowRowKey")
            {
                continue;
            }

            entity[name] = value.ValueKind switch
            {
                JsonValueKind.Number when name == "version" => value.GetInt64(),
                JsonValueKind.Number => value.GetInt32(),
                _ when name.EndsWith("_at", StringComparison.Ordinal) => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture),
                _ => value.GetString(),
            };
        }

        Assert.Equal(Entry, TreeIndexRow.ToEntry(entity));
        Assert.Equal(7, TreeIndexRow.Version(entity));
    }

    [Fact]
    public void Todays_code_writes_the_same_row_and_keys()
    {
        var golden = Golden();
        var entity = TreeIndexRow.ToEntity(Entry, 7, TreeIndexKeys.TreePartitionKey("golden-tree"), TreeIndexKeys.TreeRowKey);
        var written = entity.Where(p => p.Key != "odata.etag").ToDictionary(
            p => p.Key, p => p.Value is DateTimeOffset d ? d.ToString("O", CultureInfo.InvariantCulture) : Convert.ToString(p.Value, CultureInfo.InvariantCulture));
        written["UserRowPartitionKey"] = TreeIndexKeys.UserPartitionKey("alice");
        written["UserRowRowKey"] = TreeIndexKeys.UserRowKey(Entry.CreatedAt, "golden-tree");

        Assert.Equal(golden.Keys.Order(StringComparer.Ordinal), written.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, value) in golden)
        {
            Assert.Equal(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText(), written[name]);
        }
    }
}
