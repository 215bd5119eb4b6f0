using System.Text.Json;
using System.Text.Json.Serialization;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Status;
using DurableFlow.Storage;
using DurableFlow.Contracts;

namespace DurableFlow.Api;

/// <summary>Whether the tree index's storage answered.</summary>
public sealed record HealthStorage(bool Reachable, string? Error);
