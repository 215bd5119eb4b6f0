using System.Text.Json.Serialization;
using DurableFlow.Graph;

namespace DurableFlow.Contracts;

/// <summary>Orchestration output and the input of the <c>RecordTreeOutcome</c> activity, version 1.</summary>
/// <param name="TreeId">The tree.</param>
/// <param name="UserId">The tree's owner.</param>
/// <param name="Run">The run that finished.</param>
/// <param name="Status">The tree's final status (its number is persisted).</param>
/// <param name="Counts">Tasks per status at the end.</param>
/// <param name="StartedAt">When the run started (UTC).</param>
/// <param name="CompletedAt">When the run ended (UTC).</param>
/// <param name="Error">Why the run ended by a fault (the orchestrator caught its own failure); null for a run
/// that ended normally. Added after V1 shipped and left out when null, so earlier payloads keep their bytes.</param>
public sealed record TreeRunOutcomeV1(
    string TreeId,
    string UserId,
    int Run,
    TreeStatus Status,
    TaskCountsV1 Counts,
    DateTime StartedAt,
    DateTime CompletedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);
