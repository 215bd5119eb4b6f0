namespace DurableFlow.Executors;

/// <summary>The guard refused every address of a destination.</summary>
internal sealed class BlockedDestinationException : Exception
{
    public BlockedDestinationException()
    {
    }

    public BlockedDestinationException(string message)
        : base(message)
    {
    }

    public BlockedDestinationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
