using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using DurableFlow.Executors;
using Microsoft.Extensions.Logging;
using DurableFlow.Contracts;

namespace DurableFlow.Storage;

/// <summary>
/// The outcome of every task attempt, in Azure Table Storage (one row per tree, run, task and attempt),
/// so an activity re-delivered to another worker returns the recorded outcome instead of running the
/// executor again. The first outcome written wins. Outcomes whose JSON exceeds what one table property
/// holds (about 30,000 characters) are not kept; such an attempt would run again if re-delivered.
/// A storage failure never fails a task: the ledger then just does not deduplicate (the attempt runs, at
/// least once, and a warning is logged). Nothing about a failure is remembered: the next call tries the
/// table again, creating it if the earlier attempt could not.
/// </summary>
public sealed partial class TableAttemptLedger(TableServiceClient service, ILogger<TableAttemptLedger> logger, string tableName = TableAttemptLedger.DefaultTableName) : IAttemptLedger
{
    public const string DefaultTableName = "DurableFlowAttempts";

    /// <summary>Longest outcome kept: a table string property holds 64 KiB of UTF-16.</summary>
    public const int MaxOutcomeChars = 30_000;

    private readonly TableClient _table = service.GetTableClient(tableName);
    private readonly TableCreation _creation = new(service.GetTableClient(tableName));

    public async Task<TaskRunResultV1?> FindAsync(AttemptKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            await _creation.EnsureAsync(cancellationToken);
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(key.TreeId, RowKey(key), ["outcome"], cancellationToken);
            return row.HasValue && row.Value!.GetString("outcome") is { } json ? JsonSerializer.Deserialize<TaskRunResultV1>(json) : null;
        }
        catch (Exception ex) when (IsOutage(ex, cancellationToken))
        {
            LogLookupFailed(logger, key.TreeId, key.TaskId, ex);
            return null;
        }
    }

    public async Task<TaskRunResultV1> RecordAsync(AttemptKey key, TaskRunResultV1 outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var json = JsonSerializer.Serialize(outcome);
        if (json.Length > MaxOutcomeChars)
        {
            return outcome;
        }

        try
        {
            await _creation.EnsureAsync(cancellationToken);
            await _table.AddEntityAsync(new TableEntity(key.TreeId, RowKey(key)) { ["outcome"] = json }, cancellationToken);
            return outcome;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Another delivery of this attempt recorded first: its outcome is the one.
            return await FindAsync(key, cancellationToken) ?? outcome;
        }
        catch (Exception ex) when (IsOutage(ex, cancellationToken))
        {
            LogRecordFailed(logger, key.TreeId, key.TaskId, ex);
            return outcome;
        }
    }

    /// <summary>
    /// Whatever the storage client throws, except our own cancellation: after its retries Azure.Core throws
    /// <see cref="AggregateException"/>, not <see cref="RequestFailedException"/>, and a network timeout
    /// surfaces as a cancellation the caller did not ask for.
    /// </summary>
    private static bool IsOutage(Exception ex, CancellationToken cancellationToken) =>
        ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested;

    private static string RowKey(AttemptKey key) =>
        string.Create(CultureInfo.InvariantCulture, $"{key.Run:D6}|{key.TaskId}|{key.Attempt:D3}");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt ledger unavailable for {TreeId}/{TaskId}; running without deduplication")]
    private static partial void LogLookupFailed(ILogger logger, string treeId, string taskId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt ledger unavailable for {TreeId}/{TaskId}; outcome not recorded")]
    private static partial void LogRecordFailed(ILogger logger, string treeId, string taskId, Exception exception);
}
