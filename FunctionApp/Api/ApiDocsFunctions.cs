using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace DurableFlow.Api;

/// <summary>
/// The API description (<c>GET /api/openapi.json</c>) and the dashboard page (<c>GET /api/dashboard</c>),
/// both embedded resources of this assembly. Anonymous so a browser can open them; the data routes
/// the dashboard calls keep their function keys (the page forwards <c>?code=</c> as <c>x-functions-key</c>).
/// </summary>
public static class ApiDocsFunctions
{
    [Function("OpenApiDocument")]
    public static IActionResult OpenApiDocument(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request) =>
        new AssetResult(ApiAssets.OpenApiJson, "application/json; charset=utf-8");

    [Function("Dashboard")]
    public static IActionResult Dashboard(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard")] HttpRequest request) =>
        new AssetResult(ApiAssets.DashboardHtml, "text/html; charset=utf-8", ApiAssets.DashboardContentSecurityPolicy);
}
