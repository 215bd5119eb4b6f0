using DurableFlow.Client;

namespace DurableFlow.Cli.Validation;

/// <summary>What the offline validator made of a tree file.</summary>
/// <param name="Tasks">The tasks as read (status empty), or null when the file could not be read as a tree at all.</param>
/// <param name="Problems">Every problem, in the API's error-detail shape; empty when the tree is valid.</param>
internal sealed record TreeFileCheck(IReadOnlyList<TaskView>? Tasks, IReadOnlyList<ApiErrorDetail> Problems)
{
    public bool IsValid => Tasks is not null && Problems.Count == 0;
}
