namespace DurableFlow.Api;

/// <summary>Answer to a submission (202 new, 200 repeat).</summary>
public sealed record SubmitResponse(string TreeId, string Status, int TaskCount, TreeLinks Links);
