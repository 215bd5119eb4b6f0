using System.Net;

namespace DurableFlow.Client;

/// <summary>The API answered with an error: its stable <see cref="Code"/>, <see cref="ApiMessage"/> and <see cref="Details"/>, and the HTTP status.</summary>
public sealed class DurableFlowApiException : Exception
{
    public DurableFlowApiException(HttpStatusCode statusCode, ApiError error)
        : base($"{(int)statusCode} {error?.Code}: {error?.Message}")
    {
        ArgumentNullException.ThrowIfNull(error);
        StatusCode = statusCode;
        Code = error.Code;
        ApiMessage = error.Message;
        Details = error.Details;
    }

    public DurableFlowApiException()
        : this(HttpStatusCode.InternalServerError, new ApiError { Code = ApiErrorCodes.UnexpectedResponse })
    {
    }

    public DurableFlowApiException(string message)
        : this(HttpStatusCode.InternalServerError, new ApiError { Code = ApiErrorCodes.UnexpectedResponse, Message = message })
    {
    }

    public DurableFlowApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        StatusCode = HttpStatusCode.InternalServerError;
        Code = ApiErrorCodes.UnexpectedResponse;
        ApiMessage = message;
        Details = [];
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The API's code, e.g. <c>not_found</c>, <c>cycle_detected</c>, or <c>unexpected_response</c> when the body was not the API's.</summary>
    public string Code { get; }

    /// <summary>The API's message, for people.</summary>
    public string ApiMessage { get; }

    /// <summary>Every problem the API reported.</summary>
    public IReadOnlyList<ApiErrorDetail> Details { get; }

    /// <summary>The error as the API's <c>error</c> object.</summary>
    public ApiError ToApiError() => new() { Code = Code, Message = ApiMessage, Details = Details };
}
