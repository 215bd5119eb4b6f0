using Azure.Data.Tables;

namespace DurableFlow.Storage;

/// <summary>Creates a table on first use, once per instance; a failed attempt is retried by the next call.
/// Shared by the tree index and the attempt ledger.</summary>
internal sealed class TableCreation(TableClient table)
{
    private readonly object _lock = new();
    private Task? _create;

    public Task EnsureAsync(CancellationToken cancellationToken)
    {
        var task = Volatile.Read(ref _create);
        if (task is { IsCompletedSuccessfully: true })
        {
            return Task.CompletedTask;
        }

        lock (_lock)
        {
            if (_create is null || _create.IsFaulted || _create.IsCanceled)
            {
                // Not tied to one caller's token: other callers may be waiting for the same creation.
                _create = table.CreateIfNotExistsAsync(CancellationToken.None);
            }

            return _create.WaitAsync(cancellationToken);
        }
    }
}
