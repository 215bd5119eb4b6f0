namespace DurableFlow.Api;

/// <summary><c>{"error": {...}}</c>.</summary>
public sealed record ErrorEnvelope(ErrorBody Error);
