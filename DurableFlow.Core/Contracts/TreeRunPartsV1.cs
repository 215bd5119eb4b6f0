using System.Text.Json;

namespace DurableFlow.Contracts;

/// <summary>
/// The large parts of a run's input kept outside the orchestration input, version 1: the tree's tasks and, for
/// a rerun, the carried results. A big tree's input would otherwise approach the 4 MB limit of one message
/// between the worker and the host (a 20,000-task tree is about 3 MB inline); kept apart, the input is a few
/// hundred bytes and the orchestration loads the parts once, through an activity.
/// </summary>
/// <param name="Tasks">The tree's tasks.</param>
/// <param name="Carried">For a rerun: the completed tasks it keeps, with their results.</param>
public sealed record TreeRunPartsV1(IReadOnlyList<TaskDefinitionV1> Tasks, IReadOnlyDictionary<string, JsonElement>? Carried);
