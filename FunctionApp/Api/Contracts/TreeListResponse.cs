using System.Text.Json;
using System.Text.Json.Serialization;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Status;
using DurableFlow.Storage;
using DurableFlow.Contracts;

namespace DurableFlow.Api;

/// <summary><c>GET /api/trees</c>.</summary>
public sealed record TreeListResponse(IReadOnlyList<TreeSummary> Trees, string? Continuation, string? Next);
