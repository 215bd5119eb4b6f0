namespace DurableFlow.Api;

/// <summary>Links of a page of tasks: the next page, or null on the last.</summary>
public sealed record TaskPageLinks(string? Next);
