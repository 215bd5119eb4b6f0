using System.Text.Json;
using System.Text.Json.Serialization;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Status;
using DurableFlow.Storage;
using DurableFlow.Contracts;

namespace DurableFlow.Api;

/// <summary>Answer to a submission (202 new, 200 repeat).</summary>
public sealed record SubmitResponse(string TreeId, string Status, int TaskCount, TreeLinks Links);
