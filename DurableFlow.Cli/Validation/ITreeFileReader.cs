namespace DurableFlow.Cli.Validation;

/// <summary>
/// Reads and validates a tree file offline, with the server's own parser and validator. A seam: the
/// validator lives in the server's Graph core, which is moving into DurableFlow.Core.
/// </summary>
internal interface ITreeFileReader
{
    /// <summary>False when this build has no offline validator; then <see cref="Read"/> must not be called.</summary>
    bool IsAvailable { get; }

    TreeFileCheck Read(string json);
}
