using System.Text.Json;

namespace DurableFlow.Graph;

/// <summary>A task the scheduler has released to run.</summary>
/// <param name="Index">The task's index in the tree.</param>
/// <param name="Task">The task definition.</param>
/// <param name="DependencyResults">Results of the dependencies that completed, by dependency id.</param>
public sealed record ReleasedTask(int Index, TaskDefinition Task, IReadOnlyDictionary<string, JsonElement> DependencyResults);
