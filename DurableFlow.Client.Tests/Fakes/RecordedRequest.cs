namespace DurableFlow.Client.Tests.Fakes;

/// <summary>A request as the fake server saw it.</summary>
internal sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? FunctionKey, string? Authorization, string? ContentType, string? Body)
{
    public string PathAndQuery => Uri.PathAndQuery;
}
