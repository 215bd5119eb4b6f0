using DurableFlow.E2E.Support;

namespace DurableFlow.E2E;

/// <summary>rest_executor against a local HTTP server, and the network guard, on the host.</summary>
public sealed class RestExecutorTests : E2ETest
{
    [LocalE2EFact]
    public async Task A_rest_task_calls_the_server_and_records_its_answer()
    {
        var key = Trees.NewId("rest");
        var treeId = await Api.StartAsync(Trees.Tree(Trees.NewUser(), Server.Task("call", key)));

        var read = await Api.WaitForEndAsync(treeId);

        var result = read.Task("call")["result"]!;
        Assert.Equal("completed", read.Status());
        Assert.Equal(200, result["status_code"]!.GetValue<int>());
        Assert.Equal(key, result["json"]!["key"]!.GetValue<string>());
        Assert.Equal(1, Server.Calls(key));
    }

    [LocalE2EFact]
    public async Task A_task_record_says_when_its_executor_ran_apart_from_when_it_was_released()
    {
        var key = Trees.NewId("timed");
        var treeId = await Api.StartAsync(Trees.Tree(Trees.NewUser(), Server.Task("call", key, delayMs: 1500)));

        var task = (await Api.WaitForEndAsync(treeId)).Task("call");

        var ran = task.Time("ran_until") - task.Time("ran_at");
        Assert.InRange(ran, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(10));
        // The call arrived while the executor ran, and release came before it.
        var call = Server.CallTimes(key).Single();
        Assert.InRange(call, task.Time("ran_at").AddSeconds(-1), task.Time("ran_until"));
        Assert.True(task.Time("started_at") <= task.Time("ran_at").AddSeconds(1));
        Assert.True(task.Time("completed_at") >= task.Time("ran_until").AddSeconds(-1));
    }

    [E2EFact]
    public async Task The_metadata_address_is_never_reached()
    {
        var task = new JsonObject
        {
            ["id"] = "imds",
            ["name"] = "rest_executor",
            ["inputs"] = new JsonObject { ["url"] = "http://169.254.169.254/metadata/instance", ["timeout_seconds"] = 5 },
        };

        var read = await Api.WaitForEndAsync(await Api.StartAsync(Trees.Tree(Trees.NewUser(), task)));

        Assert.Equal("failed", read.Task("imds").Status());
        Assert.Contains("169.254.169.254", read.Task("imds")["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
