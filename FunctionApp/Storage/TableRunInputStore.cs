using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Azure.Data.Tables;
using DurableFlow.Contracts;

namespace DurableFlow.Storage;

/// <summary>
/// The large parts of run inputs in Azure Table Storage: the parts' JSON (the Durable payload serializer's
/// form), gzip-compressed, cut into binary properties of 60,000 bytes, 15 to a row, rows keyed
/// <c>r{run:D6}.{row:D3}</c> in the tree's partition and written in one transaction (at most 100 rows, about
/// 90 MB compressed: far beyond any tree the API accepts). A 20,000-task tree is one row.
/// </summary>
public sealed class TableRunInputStore(TableServiceClient service, string tableName = TableRunInputStore.DefaultTableName) : IRunInputStore
{
    public const string DefaultTableName = "DurableFlowRunInputs";

    private const int ChunkBytes = 60_000;
    private const int ChunksPerRow = 15;
    private const int Format = 1;

    private readonly TableClient _table = service.GetTableClient(tableName);
    private readonly TableCreation _creation = new(service.GetTableClient(tableName));

    public async Task SaveAsync(string treeId, int run, TreeRunPartsV1 parts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parts);
        byte[] compressed;
        using (var buffer = new MemoryStream())
        {
            using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            {
                await JsonSerializer.SerializeAsync(gzip, parts, cancellationToken: cancellationToken);
            }

            compressed = buffer.ToArray();
        }

        var chunks = (compressed.Length + ChunkBytes - 1) / ChunkBytes;
        var rows = Math.Max(1, (chunks + ChunksPerRow - 1) / ChunksPerRow);
        if (rows > 100)
        {
            throw new InvalidOperationException($"run input of tree '{treeId}' is {compressed.Length:N0} bytes compressed: more than one transaction holds");
        }

        var actions = new List<TableTransactionAction>(rows);
        for (var row = 0; row < rows; row++)
        {
            var entity = new TableEntity(treeId, RowKey(run, row)) { ["format"] = Format, ["rows"] = rows, ["bytes"] = compressed.Length };
            for (var c = 0; c < ChunksPerRow; c++)
            {
                var offset = ((row * ChunksPerRow) + c) * ChunkBytes;
                if (offset >= compressed.Length)
                {
                    break;
                }

                entity[string.Create(CultureInfo.InvariantCulture, $"d{c:D2}")] = compressed.AsSpan(offset, Math.Min(ChunkBytes, compressed.Length - offset)).ToArray();
            }

            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity));
        }

        await _creation.EnsureAsync(cancellationToken);
        await _table.SubmitTransactionAsync(actions, cancellationToken);
    }

    public async Task<TreeRunPartsV1?> LoadAsync(string treeId, int run, CancellationToken cancellationToken)
    {
        await _creation.EnsureAsync(cancellationToken);
        var from = RowKey(run, 0);
        var to = string.Create(CultureInfo.InvariantCulture, $"r{run:D6}/");
        using var buffer = new MemoryStream();
        var found = 0;
        var expected = -1;
        await foreach (var entity in _table.QueryAsync<TableEntity>(e => e.PartitionKey == treeId && e.RowKey.CompareTo(from) >= 0 && e.RowKey.CompareTo(to) < 0, cancellationToken: cancellationToken))
        {
            if (entity.GetInt32("format") != Format)
            {
                throw new InvalidOperationException($"run input row ({treeId}, {entity.RowKey}) has an unknown format");
            }

            expected = entity.GetInt32("rows") ?? -1;
            for (var c = 0; c < ChunksPerRow && entity.GetBinary(string.Create(CultureInfo.InvariantCulture, $"d{c:D2}")) is { } chunk; c++)
            {
                buffer.Write(chunk);
            }

            found++;
        }

        if (found == 0)
        {
            return null;
        }

        if (found != expected)
        {
            throw new InvalidOperationException($"run input of tree '{treeId}' run {run} has {found} of its {expected} rows");
        }

        buffer.Position = 0;
        await using var gzip = new GZipStream(buffer, CompressionMode.Decompress);
        return await JsonSerializer.DeserializeAsync<TreeRunPartsV1>(gzip, cancellationToken: cancellationToken);
    }

    private static string RowKey(int run, int row) => string.Create(CultureInfo.InvariantCulture, $"r{run:D6}.{row:D3}");
}
