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

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCode;
        if (Location is not null)
        {
            response.Headers.Location = Location;
        }

        response.Headers.CacheControl = "no-store";
        if (Body is not null)
        {
            response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(response.Body, Body, Body.GetType(), ApiJson.Options, context.HttpContext.RequestAborted);
        }
    }

    public static ApiResult Error(int statusCode, string code, string message, IEnumerable<ErrorDetail>? details = null) =>
        new(statusCode, new ErrorEnvelope(new ErrorBody(code, message, details?.ToList() ?? [])));

    public static ApiResult Validation(IReadOnlyList<ValidationError> errors)
    {
        var code = errors.Count > 0 && errors.All(e => e.Code == errors[0].Code) ? errors[0].Code : ApiErrorCodes.ValidationFailed;
        var message = errors.Count == 1
            ? errors[0].Message
            : $"the tree has {errors.Count} problems; see details";
        return Error(StatusCodes.Status400BadRequest, code, message, errors.Select(ErrorDetail.From));
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
