using System.Text.Json;
using System.Text.Json.Serialization;
using DurableFlow.Executors;
using DurableFlow.Graph;
using DurableFlow.Status;
using DurableFlow.Storage;
using DurableFlow.Contracts;

namespace DurableFlow.Api;

/// <summary>One input field of an executor.</summary>
public sealed record ExecutorInputView(string Name, string Type, bool Required, string Description, string? Default);
