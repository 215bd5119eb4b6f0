using DurableFlow.Client;
using DurableFlow.Graph;

namespace DurableFlow.Cli.Validation;

/// <summary>
/// The server's own reader and validator (DurableFlow.Core), run offline in the order the API runs them:
/// read the contract, then validate the tree. Executor names are not checked: the registry is the server's.
/// </summary>
internal sealed class CoreTreeFileReader : ITreeFileReader
{
    public TreeFileCheck Read(ReadOnlyMemory<byte> utf8Json)
    {
        var parsed = TreeJson.Parse(utf8Json);
        if (!parsed.Succeeded)
        {
            return new TreeFileCheck(null, parsed.Errors.Select(ToDetail).ToList());
        }
        var tree = parsed.Tree!;
        var problems = TreeValidator.Validate(tree, new ValidationOptions(KnownExecutors: null)).Select(ToDetail).ToList();
        var tasks = tree.Tasks.Select(task => new TaskView
        {
            Id = task.Id,
            Name = task.Name,
            ParentId = task.ParentId,
            Priority = task.Priority,
            Dependencies = task.Dependencies.Select(d => new DependencyView(d.Id, d.Required)).ToList(),
            Inputs = task.Inputs,
        }).ToList();
        return new TreeFileCheck(tasks, problems);
    }

    private static ApiErrorDetail ToDetail(ValidationError error) => new()
    {
        Code = error.Code,
        Message = error.Message,
        Path = error.Path,
        TaskId = error.TaskId,
        RelatedId = error.RelatedId,
        Cycle = error.Cycle,
    };
}
