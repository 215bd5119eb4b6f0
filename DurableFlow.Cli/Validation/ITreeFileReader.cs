namespace DurableFlow.Cli.Validation;

/// <summary>
/// Reads and validates a tree file offline, with the server's own parser and validator
/// (<see cref="CoreTreeFileReader"/>); a seam so tests can stand in for it.
/// </summary>
internal interface ITreeFileReader
{
    /// <summary>Reads <paramref name="utf8Json"/> as the API reads a request body.</summary>
    TreeFileCheck Read(ReadOnlyMemory<byte> utf8Json);
}
