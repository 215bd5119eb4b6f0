using System.Text.Json;

namespace DurableFlow.Executors;

/// <summary>Thrown by an executor whose inputs are invalid: the task fails with this message.</summary>
public sealed class InvalidTaskInputException : Exception
{
    public InvalidTaskInputException()
    {
    }

    public InvalidTaskInputException(string message)
        : base(message)
    {
    }

    public InvalidTaskInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
