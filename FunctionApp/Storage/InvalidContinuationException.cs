namespace DurableFlow.Storage;

/// <summary>
/// A continuation token given to <see cref="ITreeIndex.ListAsync"/> is malformed or was altered; the API
/// answers it with 400.
/// </summary>
public sealed class InvalidContinuationException : FormatException
{
    public InvalidContinuationException()
        : base("The continuation token is not valid.")
    {
    }

    public InvalidContinuationException(string message)
        : base(message)
    {
    }

    public InvalidContinuationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
