using System.Text.Json;
using DurableFlow.Graph;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace DurableFlow.Api;

/// <summary>
/// A JSON response: status code, optional <c>Location</c>, a body serialized with <see cref="ApiJson.Options"/>.
/// Self-contained (no MVC executors), so tests can run it on a bare <see cref="DefaultHttpContext"/>.
/// </summary>
public sealed class ApiResult(int statusCode, object? body, string? location = null) : IActionResult
{
    public int StatusCode { get; } = statusCode;

    public object? Body { get; } = body;

    public string? Location { get; } = location;

    /// <summary>Seconds a client should wait before retrying (the <c>Retry-After</c> header), for 503s.</summary>
    public int? RetryAfterSeconds { get; init; }

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCode;
        if (Location is not null)
        {
            response.Headers.Location = Location;
        }

        if (RetryAfterSeconds is { } seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        response.Headers.CacheControl = "no-store";
        if (Body is not null)
        {
            response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(response.Body, Body, Body.GetType(), ApiJson.Options, context.HttpContext.RequestAborted);
        }
    }

    /// <summary>An error answer listing at most <see cref="ErrorBody.MaxDetails"/> details; the rest, and
    /// <paramref name="omitted"/> more found but never kept, are counted in <c>details_truncated</c>.</summary>
    public static ApiResult Error(int statusCode, string code, string message, IEnumerable<ErrorDetail>? details = null, int omitted = 0)
    {
        var listed = new List<ErrorDetail>();
        foreach (var detail in details ?? [])
        {
            if (listed.Count < ErrorBody.MaxDetails)
            {
                listed.Add(detail);
            }
            else
            {
                omitted++;
            }
        }

        return new(statusCode, new ErrorEnvelope(new ErrorBody(code, message, listed) { DetailsTruncated = omitted > 0 ? omitted : null }));
    }

    /// <summary>400 for the problems of a request; <paramref name="omitted"/> more were found and only counted.</summary>
    public static ApiResult Validation(IReadOnlyList<ValidationError> errors, int omitted = 0)
    {
        ArgumentNullException.ThrowIfNull(errors);
        omitted += (errors as ValidationErrorList)?.Omitted ?? 0;
        var total = errors.Count + omitted;
        // With problems left out their codes are unknown, so the answer cannot claim they all agree.
        var code = errors.Count > 0 && omitted == 0 && errors.All(e => e.Code == errors[0].Code) ? errors[0].Code : ApiErrorCodes.ValidationFailed;

        var message = total == 1
            ? errors[0].Message
            : $"the tree has {total} problems; see details" + (omitted > 0 ? $" (the first {errors.Count})" : "");
        return Error(StatusCodes.Status400BadRequest, code, message, errors.Select(ErrorDetail.From), omitted);
    }

    public static ApiResult BadRequest(string message, string? path = null) =>
        Error(StatusCodes.Status400BadRequest, ValidationCodes.InvalidRequest, message,
            path is null ? null : [new ErrorDetail(ValidationCodes.InvalidRequest, message, path)]);

    /// <summary>400 with <paramref name="code"/> and one detail at <paramref name="path"/>.</summary>
    public static ApiResult Invalid(string code, string message, string path) =>
        Error(StatusCodes.Status400BadRequest, code, message, [new ErrorDetail(code, message, path)]);

    /// <summary>409 with <paramref name="code"/> and one detail.</summary>
    public static ApiResult Conflict(string code, string message) =>
        Error(StatusCodes.Status409Conflict, code, message, [new ErrorDetail(code, message)]);

    public static ApiResult NotFound(string message) => Error(StatusCodes.Status404NotFound, ApiErrorCodes.NotFound, message);
}
