using System.Text.Json;
using System.Text.Json.Serialization;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Status;
using DurableFlow.Storage;
using DurableFlow.Contracts;

namespace DurableFlow.Api;

/// <summary><c>GET /api/executors</c>.</summary>
public sealed record ExecutorListResponse(IReadOnlyList<ExecutorView> Executors);
