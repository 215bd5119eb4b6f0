namespace DurableFlow.Cli.Validation;

/// <summary>Stands in until DurableFlow.Core is referenced: says plainly that offline validation is not in this build.</summary>
internal sealed class MissingTreeFileReader : ITreeFileReader
{
    public bool IsAvailable => false;

    public TreeFileCheck Read(string json) =>
        throw new NotSupportedException("this build of dflow has no offline validator (it awaits DurableFlow.Core)");
}
