namespace DurableFlow.Client;

/// <summary>Where the API is and how to authenticate to it.</summary>
public sealed class DurableFlowClientOptions
{
    /// <summary>The API root, e.g. <c>http://localhost:7071/api</c> or <c>https://HOST/api</c>.</summary>
    public Uri BaseAddress { get; set; } = new("http://localhost:7071/api/");

    /// <summary>A function key, sent as <c>x-functions-key</c>.</summary>
    public string? FunctionKey { get; set; }

    /// <summary>A bearer token (e.g. Easy Auth with Entra ID), sent as <c>Authorization: Bearer</c>.</summary>
    public string? BearerToken { get; set; }

    /// <summary>When set, sent as <c>user_id</c> on reads, lists, cancels and reruns: the server then checks ownership.</summary>
    public string? UserId { get; set; }

    public DurableFlowRetryOptions Retry { get; set; } = new();

    /// <summary>Clock for <see cref="DurableFlowClient.WaitAsync"/>'s polling and the retry delays; tests pass a fake.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
