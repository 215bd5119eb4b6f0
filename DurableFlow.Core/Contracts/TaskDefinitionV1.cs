using System.Text.Json;

namespace DurableFlow.Contracts;

/// <summary>One task as persisted, version 1. Property order is the order version 1 was first written in.</summary>
public sealed record TaskDefinitionV1(
    string Id,
    string Name,
    JsonElement? Inputs,
    int Priority,
    string? ParentId,
    RetrySettingsV1? Retry,
    double? TimeoutSeconds,
    IReadOnlyList<TaskDependencyV1>? Dependencies);
