using System.Text.Json;

namespace DurableFlow.Contracts;

/// <summary>
/// Input of a fan-out block, version 1: a sub-orchestration that runs part of a wide release (at most the
/// run's <see cref="TreeRunInputV1.FanOutBlockSize"/> tasks, taken shard by shard) and records their outcomes
/// in their shards itself, so the tree's own history and messages stay small however wide the tree is.
/// </summary>
/// <param name="TreeId">The tree.</param>
/// <param name="Run">The tree run.</param>
/// <param name="UseDemo">Demo mode.</param>
/// <param name="Layout">The run's status layout (the block writes its tasks' records).</param>
/// <param name="Tasks">The tasks to run.</param>
/// <param name="Results">The completed results their dependencies produced, once each, by task id: a task gets
/// those of its own dependencies.</param>
public sealed record TaskBlockInputV1(
    string TreeId,
    int Run,
    bool UseDemo,
    StatusLayoutV1 Layout,
    IReadOnlyList<TaskDefinitionV1> Tasks,
    IReadOnlyDictionary<string, JsonElement> Results);
