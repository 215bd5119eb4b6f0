using System.Text.Json;

namespace DurableFlow.Executors;

/// <summary>One input field of an executor, for <c>GET /api/executors</c>.</summary>
/// <param name="Name">Field name in <c>inputs</c>.</param>
/// <param name="Type">JSON type: <c>string</c>, <c>integer</c>, <c>number</c>, <c>boolean</c>, <c>object</c>, <c>array</c>.</param>
/// <param name="Required">Whether the task must give it.</param>
/// <param name="Description">What it means, with allowed values.</param>
/// <param name="Default">The value used when absent, as text, or null.</param>
public sealed record ExecutorInput(string Name, string Type, bool Required, string Description, string? Default = null);
