using System.Net;
using System.Text;
using System.Text.Json;

namespace DurableFlow.Client.Tests.Fakes;

/// <summary>An in-memory server: answers each request with the responder, and records what it was sent.</summary>
internal sealed class FakeHandler(Func<RecordedRequest, int, HttpResponseMessage> respond) : HttpMessageHandler
{
    private readonly List<RecordedRequest> _requests = [];

    public FakeHandler(params Func<RecordedRequest, HttpResponseMessage>[] sequence)
        : this((request, index) => sequence[Math.Min(index, sequence.Length - 1)](request))
    {
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!,
            request.Headers.TryGetValues("x-functions-key", out var keys) ? keys.Single() : null,
            request.Headers.Authorization?.ToString(),
            request.Content?.Headers.ContentType?.ToString(),
            body);
        int index;
        lock (_requests)
        {
            index = _requests.Count;
            _requests.Add(recorded);
        }
        var response = respond(recorded, index);
        response.RequestMessage = request;
        return response;
    }

    public static HttpResponseMessage Json(HttpStatusCode status, object body) => new(status)
    {
        Content = new StringContent(body as string ?? JsonSerializer.Serialize(body, DurableFlowJson.Wire), Encoding.UTF8, "application/json"),
    };

    public static HttpResponseMessage Error(HttpStatusCode status, string code, string message, params ApiErrorDetail[] details) =>
        Json(status, new ApiErrorResponse { Error = new ApiError { Code = code, Message = message, Details = details } });

    public static HttpResponseMessage ConnectionReset() =>
        throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection reset by peer", new IOException("Connection reset by peer"));
}
