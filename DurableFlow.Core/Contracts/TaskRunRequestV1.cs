using System.Text.Json;

namespace DurableFlow.Contracts;

/// <summary>Input of the <c>RunTask</c> activity, version 1: what one attempt of one task needs, and no more.</summary>
/// <param name="TreeId">The tree.</param>
/// <param name="TaskId">The task.</param>
/// <param name="Name">The executor id.</param>
/// <param name="Attempt">1-based attempt number; (tree, task, run, attempt) identifies the attempt.</param>
/// <param name="Run">The tree run.</param>
/// <param name="UseDemo">Return the executor's demo result instead of doing real work.</param>
/// <param name="Inputs">The task's inputs object, or null for none.</param>
/// <param name="DependencyResults">Results of the task's completed dependencies, by id.</param>
public sealed record TaskRunRequestV1(
    string TreeId,
    string TaskId,
    string Name,
    int Attempt,
    int Run,
    bool UseDemo,
    JsonElement? Inputs,
    IReadOnlyDictionary<string, JsonElement> DependencyResults);
