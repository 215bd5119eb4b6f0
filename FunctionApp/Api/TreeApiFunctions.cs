using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;

namespace DurableFlow.Api;

/// <summary>The HTTP triggers of the API: thin, each one call into <see cref="TreeApi"/>.</summary>
public sealed class TreeApiFunctions(TreeApi api)
{
    [Function("SubmitTree")]
    public Task<IActionResult> SubmitTreeAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "trees")] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        api.SubmitAsync(request, client, cancellationToken);

    [Function("ListTrees")]
    public Task<IActionResult> ListTreesAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "trees")] HttpRequest request,
        CancellationToken cancellationToken) =>
        api.ListAsync(request, cancellationToken);

    [Function("GetTree")]
    public Task<IActionResult> GetTreeAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "trees/{treeId}")] HttpRequest request,
        string treeId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        api.GetTreeAsync(request, treeId, client, cancellationToken);

    [Function("GetTasks")]
    public Task<IActionResult> GetTasksAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "trees/{treeId}/tasks")] HttpRequest request,
        string treeId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        api.GetTasksAsync(request, treeId, client, cancellationToken);

    [Function("GetTask")]
    public Task<IActionResult> GetTaskAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "trees/{treeId}/tasks/{taskId}")] HttpRequest request,
        string treeId,
        string taskId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        api.GetTaskAsync(request, treeId, taskId, client, cancellationToken);

    [Function("CancelTree")]
    public Task<IActionResult> CancelTreeAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "trees/{treeId}/cancel")] HttpRequest request,
        string treeId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        api.CancelAsync(request, treeId, client, cancellationToken);

    [Function("TerminateTree")]
    public Task<IActionResult> TerminateTreeAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "trees/{treeId}/terminate")] HttpRequest request,
        string treeId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        api.TerminateAsync(request, treeId, client, cancellationToken);

    [Function("RerunTree")]
    public Task<IActionResult> RerunTreeAsync(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "trees/{treeId}/rerun")] HttpRequest request,
        string treeId,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        api.RerunAsync(request, treeId, client, cancellationToken);

    [Function("ListExecutors")]
    public IActionResult ListExecutors(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "executors")] HttpRequest request) =>
        api.ListExecutors();

    [Function("Health")]
    public Task<IActionResult> HealthAsync(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "health")] HttpRequest request,
        CancellationToken cancellationToken) =>
        api.HealthAsync(cancellationToken);
}
