namespace DurableFlow.Api;

/// <summary>One input field of an executor.</summary>
public sealed record ExecutorInputView(string Name, string Type, bool Required, string Description, string? Default);
