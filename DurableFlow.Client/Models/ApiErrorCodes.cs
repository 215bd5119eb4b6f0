namespace DurableFlow.Client;

/// <summary>The API's stable error codes that callers commonly switch on (the validation codes are listed in the README).</summary>
public static class ApiErrorCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string InvalidJson = "invalid_json";
    public const string InvalidRequest = "invalid_request";
    public const string NotFound = "not_found";
    public const string TreeExists = "tree_exists";
    public const string NotCancellable = "not_cancellable";
    public const string TreeRunning = "tree_running";
    public const string RunMismatch = "run_mismatch";
    public const string NothingToRerun = "nothing_to_rerun";
    public const string UnknownTask = "unknown_task";
    public const string ForbiddenUser = "forbidden_user";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string InternalError = "internal_error";
    public const string ServiceUnavailable = "service_unavailable";

    /// <summary>Not the API's: the answer had no readable error body (e.g. a proxy's 502 page).</summary>
    public const string UnexpectedResponse = "unexpected_response";
}
