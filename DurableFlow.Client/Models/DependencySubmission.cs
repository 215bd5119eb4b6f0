namespace DurableFlow.Client;

/// <summary>A dependency of a submitted task: it waits for <see cref="Id"/>; when <see cref="Required"/>, it also needs it completed.</summary>
public sealed record DependencySubmission(string Id, bool Required = true);
