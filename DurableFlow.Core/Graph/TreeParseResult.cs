namespace DurableFlow.Graph;

/// <summary>The outcome of reading a submission: a tree, or the reasons it could not be read.</summary>
public sealed record TreeParseResult(TaskTree? Tree, IReadOnlyList<ValidationError> Errors)
{
    public bool Succeeded => Tree is not null && Errors.Count == 0;

    /// <summary>Problems found beyond those in <see cref="Errors"/> (see <see cref="ValidationErrorList"/>).</summary>
    public int ErrorsOmitted => (Errors as ValidationErrorList)?.Omitted ?? 0;
}
