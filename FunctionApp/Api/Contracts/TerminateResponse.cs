namespace DurableFlow.Api;

/// <summary>Answer to a termination (202): the tree as recorded — <c>failed</c>, with the error that says it was terminated.</summary>
public sealed record TerminateResponse(string TreeId, string Status, bool Terminated, string Error, TreeLinks Links);
