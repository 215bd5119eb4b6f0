namespace DurableFlow.Api;

/// <summary>Answer to a cancellation request (202).</summary>
public sealed record CancelResponse(string TreeId, string Status, bool CancelRequested, TreeLinks Links);
