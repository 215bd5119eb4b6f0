namespace DurableFlow.Contracts;

/// <summary>Input of the <c>LoadRunParts</c> activity, version 1: whose parts to load.</summary>
public sealed record TreeRunPartsKeyV1(string TreeId, int Run);
