using System.Text.Json;
using System.Text.Json.Serialization;

namespace DurableFlow.Contracts;

/// <summary>
/// Orchestration input, version 1: one validated tree to run. The instance id is the tree id. Durable
/// stores it in the instance history, so an orchestration started by an older deployment replays it:
/// change it only by adding a version (see docs/architecture.md).
/// </summary>
/// <param name="TreeId">The tree id (also the orchestration instance id).</param>
/// <param name="UserId">The tree's owner.</param>
/// <param name="Tree">The validated tree.</param>
/// <param name="CreatedAt">When the tree was accepted (UTC).</param>
/// <param name="Run">1 for the first run of the tree.</param>
/// <param name="Carried">For a rerun: completed tasks that keep their results and are not executed again.</param>
/// <param name="MaxDependencyResultsBytes">The most bytes of <c>dependency_results</c> one task may receive
/// (and one status signal may carry), fixed when the run starts so every replay decides the same; null (runs
/// started before the limit existed) means no limit, so their replays take the actions they took before.
/// Added after V1 shipped and left out when null, so earlier inputs keep their bytes.</param>
/// <param name="Layout">Where the run keeps its task records (shards, results kept apart); null (runs of trees
/// submitted before the layout existed) keeps every record in the tree's status entity, as those runs always
/// did. Added after V1 shipped and left out when null.</param>
/// <param name="FanOutBlockSize">With a layout: a step that releases more tasks than this runs them in fan-out
/// blocks (sub-orchestrations) of at most this many, each block's tasks from as few shards as possible; null
/// runs every task from the tree's own orchestration, as runs before it did. Added after V1 shipped.</param>
/// <param name="PartsStored">True when the tree's tasks and the carried results are kept in the run-input store
/// (<see cref="TreeRunPartsV1"/>) instead of here: then <see cref="TaskTreeV1.Tasks"/> is empty and
/// <paramref name="Carried"/> null until the orchestration loads them. Added after V1 shipped.</param>
public sealed record TreeRunInputV1(
    string TreeId,
    string UserId,
    TaskTreeV1 Tree,
    DateTime CreatedAt,
    int Run = 1,
    IReadOnlyDictionary<string, JsonElement>? Carried = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? MaxDependencyResultsBytes = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StatusLayoutV1? Layout = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? FanOutBlockSize = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? PartsStored = null);
