namespace DurableFlow.Cli;

/// <summary>Bad input or usage found while a command runs (an unreadable file, a malformed URL): exit code 2.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }

    public UsageException()
    {
    }

    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
