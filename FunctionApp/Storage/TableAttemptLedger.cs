using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using DurableFlow.Executors;
using DurableFlow.Orchestration;
using Microsoft.Extensions.Logging;

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
public sealed class TableAttemptLedger(TableServiceClient service, ILogger<TableAttemptLedger> logger, string tableName = TableAttemptLedger.DefaultTableName) : IAttemptLedger, IDisposable
{
    public const string DefaultTableName = "DurableFlowAttempts";

    /// <summary>Longest outcome kept: a table string property holds 64 KiB of UTF-16.</summary>
    public const int MaxOutcomeChars = 30_000;

    private readonly TableClient _table = service.GetTableClient(tableName);
    private readonly SemaphoreSlim _create = new(1, 1);
    private volatile bool _created;

    public void Dispose() => _create.Dispose();

    public async Task<TaskRunResult?> FindAsync(AttemptKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        try
        {
            await EnsureTableAsync(cancellationToken);
            var row = await _table.GetEntityIfExistsAsync<TableEntity>(key.TreeId, RowKey(key), ["outcome"], cancellationToken);
            return row.HasValue && row.Value!.GetString("outcome") is { } json ? JsonSerializer.Deserialize<TaskRunResult>(json) : null;
        }
        catch (Exception ex) when (IsOutage(ex, cancellationToken))
        {
            logger.LogWarning(ex, "Attempt ledger unavailable for {TreeId}/{TaskId}; running without deduplication", key.TreeId, key.TaskId);
            return null;
        }
    }

    public async Task<TaskRunResult> RecordAsync(AttemptKey key, TaskRunResult outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var json = JsonSerializer.Serialize(outcome);
        if (json.Length > MaxOutcomeChars)
        {
            return outcome;
        }

        try
        {
            await EnsureTableAsync(cancellationToken);
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
            logger.LogWarning(ex, "Attempt ledger unavailable for {TreeId}/{TaskId}; outcome not recorded", key.TreeId, key.TaskId);
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

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (_created)
        {
            return;
        }

        await _create.WaitAsync(cancellationToken);
        try
        {
            if (!_created)
            {
                await _table.CreateIfNotExistsAsync(cancellationToken);
                _created = true;
            }
        }
        finally
        {
            _create.Release();
        }
    }
}
