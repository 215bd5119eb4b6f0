namespace DurableFlow.Api;

/// <summary>The stable error codes of the HTTP API besides the validation codes of
/// <see cref="Graph.ValidationCodes"/>.</summary>
public static class ApiErrorCodes
{
    /// <summary>Several validation problems with different codes (each detail has its own).</summary>
    public const string ValidationFailed = "validation_failed";
    public const string NotFound = "not_found";
    public const string TreeExists = "tree_exists";
    public const string NotCancellable = "not_cancellable";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string ForbiddenUser = "forbidden_user";
    public const string InternalError = "internal_error";
    public const string ServiceUnavailable = "service_unavailable";
    public const string TreeRunning = "tree_running";
    public const string RunMismatch = "run_mismatch";
    public const string UnknownTask = "unknown_task";
    public const string NothingToRerun = "nothing_to_rerun";
}
