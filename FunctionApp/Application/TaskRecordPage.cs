using DurableFlow.Contracts;

namespace DurableFlow.Application;

/// <summary>A page of task records and where the next page starts (null: this was the last).</summary>
public sealed record TaskRecordPage(IReadOnlyList<TaskRecordV1> Records, TaskPageToken? Next);
