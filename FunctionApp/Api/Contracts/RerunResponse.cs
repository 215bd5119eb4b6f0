using System.Text.Json;
using System.Text.Json.Serialization;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Status;
using DurableFlow.Storage;
using DurableFlow.Contracts;

namespace DurableFlow.Api;

/// <summary>Answer to a rerun request (202).</summary>
public sealed record RerunResponse(string TreeId, string Status, int Run, IReadOnlyList<string> Rerun, int Carried, TreeLinks Links);
