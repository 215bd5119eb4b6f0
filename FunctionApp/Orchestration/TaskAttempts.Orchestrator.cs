using System.Globalization;
using System.Text.Json;
using DurableFlow.Contracts;
using DurableFlow.Graph;
using Microsoft.DurableTask;

namespace DurableFlow.Orchestration;

/// <summary>
/// Runs one task to its final outcome inside an orchestration (the tree's, or a fan-out block's): attempts as
/// <c>RunTask</c> activities, each raced against its timeout, retried with backoff until one succeeds, the
/// attempts run out, or <paramref name="stopRetries"/> (the tree was cancelled) is set. Deterministic.
/// </summary>
internal sealed class TaskAttempts(TaskOrchestrationContext context, CancellationToken stopRetries)
{
    /// <summary>The attempts made and the outcome of the last.</summary>
    public async Task<(int Attempts, TaskRunResultV1 Result)> RunAsync(string treeId, int run, bool useDemo, TaskDefinition task, IReadOnlyDictionary<string, JsonElement> dependencyResults)
    {
        var policy = RetryPolicies.From(task.Retry);
        // Bounded by max_attempts (at most 100): the loop condition says so, for the readers and the
        // Durable analyzers (DURABLE0011 flags an unbounded loop that calls the context).
        var attempt = 0;
        var result = TaskRunResultV1.Failure("never attempted");
        while (attempt < policy.MaxNumberOfAttempts)
        {
            attempt++;
            var request = new TaskRunRequestV1(treeId, task.Id, task.Name, attempt, run, useDemo, task.Inputs, dependencyResults);
            result = await RunAttemptAsync(request, task.TimeoutSeconds);
            if (result.Succeeded || attempt >= policy.MaxNumberOfAttempts || stopRetries.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await context.CreateTimer(RetryPolicies.DelayBeforeRetry(policy, attempt), stopRetries);
            }
            catch (TaskCanceledException)
            {
                break; // the tree was cancelled: no further attempts
            }
        }

        return (attempt, result);
    }

    private async Task<TaskRunResultV1> RunAttemptAsync(TaskRunRequestV1 request, double? timeoutSeconds)
    {
        var activity = CallRunTaskAsync(request);
        if (timeoutSeconds is not { } seconds)
        {
            return await activity;
        }

        using var cancelTimer = new CancellationTokenSource();
        var timeout = context.CreateTimer(context.CurrentUtcDateTime.AddSeconds(seconds), cancelTimer.Token);
        if (await Task.WhenAny(activity, timeout) == activity)
        {
            // The timer must not keep the orchestration alive once the attempt is over.
            cancelTimer.Cancel();
            return await activity;
        }

        // A late result of this attempt is never looked at again.
        return TaskRunResultV1.Failure(string.Create(CultureInfo.InvariantCulture, $"timed out after {seconds} s"));
    }

    private async Task<TaskRunResultV1> CallRunTaskAsync(TaskRunRequestV1 request)
    {
        try
        {
            return await context.CallActivityAsync<TaskRunResultV1>(TreeOrchestration.RunTaskActivity, request);
        }
        catch (TaskFailedException ex)
        {
            // The activity itself failed (not the executor, whose failures are data): still a task failure.
            return TaskRunResultV1.Failure(ex.FailureDetails.ErrorMessage);
        }
    }
}
