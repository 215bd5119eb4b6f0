namespace DurableFlow.Api;

/// <summary>The body of every 4xx/5xx: a stable code, a message for people, and details (maybe empty).</summary>
public sealed record ErrorBody(string Code, string Message, IReadOnlyList<ErrorDetail> Details);
