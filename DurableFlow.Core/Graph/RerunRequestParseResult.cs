namespace DurableFlow.Graph;

/// <summary>The outcome of reading a rerun body: the request, or the first reason it could not be read
/// (then <see cref="Request"/> is <see cref="RerunRequest.Default"/>).</summary>
public sealed record RerunRequestParseResult(RerunRequest Request, ValidationError? Error);
