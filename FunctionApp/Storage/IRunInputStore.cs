using DurableFlow.Contracts;

namespace DurableFlow.Storage;

/// <summary>Keeps the large parts of a run's input (<see cref="TreeRunPartsV1"/>) by tree and run.</summary>
public interface IRunInputStore
{
    /// <summary>Keeps <paramref name="parts"/> for run <paramref name="run"/> of tree <paramref name="treeId"/> (replacing any).</summary>
    Task SaveAsync(string treeId, int run, TreeRunPartsV1 parts, CancellationToken cancellationToken);

    /// <summary>The parts kept for the run, or null.</summary>
    Task<TreeRunPartsV1?> LoadAsync(string treeId, int run, CancellationToken cancellationToken);
}
