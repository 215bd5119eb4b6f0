namespace DurableFlow.Api;

/// <summary>Answer to a rerun request (202).</summary>
public sealed record RerunResponse(string TreeId, string Status, int Run, IReadOnlyList<string> Rerun, int Carried, TreeLinks Links);
