using DurableFlow.Client;

namespace DurableFlow.Cli;

/// <summary>dflow's exit codes; scripts switch on them, so they never change meaning.</summary>
internal static class ExitCodes
{
    /// <summary>Done; for a waited tree: it completed.</summary>
    public const int Completed = 0;

    /// <summary>A waited tree failed.</summary>
    public const int Failed = 1;

    /// <summary>Bad input or usage: unknown option, unreadable file, a tree the validator or the API rejects, an unknown id.</summary>
    public const int BadInput = 2;

    /// <summary>A waited tree was cancelled.</summary>
    public const int Cancelled = 3;

    /// <summary>The server failed (5xx) or could not be reached.</summary>
    public const int ServerError = 4;

    /// <summary>A fault in dflow itself (EX_SOFTWARE); never 1, which would read as "the tree failed".</summary>
    public const int InternalError = 70;

    /// <summary>Ctrl-C: the shells' 128 + SIGINT. Only the waiting stopped; the tree goes on.</summary>
    public const int Interrupted = 130;

    /// <summary>The exit code for a tree that has ended with <paramref name="status"/>.</summary>
    public static int ForTree(string status) => status switch
    {
        TreeStatuses.Completed => Completed,
        TreeStatuses.Cancelled => Cancelled,
        _ => Failed,
    };
}
