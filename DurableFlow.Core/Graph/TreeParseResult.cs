using System.Text.Json;

namespace DurableFlow.Graph;

/// <summary>The outcome of reading a submission: a tree, or the reasons it could not be read.</summary>
public sealed record TreeParseResult(TaskTree? Tree, IReadOnlyList<ValidationError> Errors)
{
    public bool Succeeded => Tree is not null && Errors.Count == 0;
}
