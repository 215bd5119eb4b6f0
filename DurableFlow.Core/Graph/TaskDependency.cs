using System.Text.Json;

namespace DurableFlow.Graph;

/// <summary>A dependency edge: the task waits for <paramref name="Id"/> to reach a terminal status.</summary>
/// <param name="Id">The task waited for.</param>
/// <param name="Required">When true the dependency must complete, or the dependent is skipped.</param>
public sealed record TaskDependency(string Id, bool Required = true);
