using System.Text.Json;
using System.Text.Json.Serialization;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Status;
using DurableFlow.Storage;
using DurableFlow.Contracts;

namespace DurableFlow.Api;

/// <summary>Answer to a cancellation request (202).</summary>
public sealed record CancelResponse(string TreeId, string Status, bool CancelRequested, TreeLinks Links);
