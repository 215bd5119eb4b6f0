using System.Text;
using System.Text.Json;
using DurableFlow.Graph;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DurableFlow.Api;

/// <summary>
/// Who calls: the App Service authentication principal when the request carries one
/// (<c>X-MS-CLIENT-PRINCIPAL-ID</c>, or the <c>userId</c> / id claim of the base64 JSON
/// <c>X-MS-CLIENT-PRINCIPAL</c>) and <see cref="PrincipalTrust"/> says those headers come from the
/// platform; otherwise nobody in particular (function keys only), and the user id comes from the body or query.
/// </summary>
internal static class CallerIdentity
{
    public const string PrincipalIdHeader = "X-MS-CLIENT-PRINCIPAL-ID";
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";

    /// <summary>The user id when no principal and no user_id is given.</summary>
    public const string AnonymousUser = "anonymous";

    private static readonly string[] IdClaims =
    [
        "http://schemas.microsoft.com/identity/claims/objectidentifier",
        "oid",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier",
        "sub",
    ];

    /// <summary>The principal's user id, null when there is no principal, or the 400 answer when the
    /// principal headers cannot be read.</summary>
    public static (string? UserId, ApiResult? Rejection) Read(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var trust = request.HttpContext.RequestServices?.GetService<PrincipalTrust>() ?? PrincipalTrust.FromEnvironment();
        if (!trust.HeadersTrusted)
        {
            // Nothing vouches for these headers: a caller could name anyone. Not even parsed.
            return (null, null);
        }

        string? userId = null;
        var idHeader = request.Headers[PrincipalIdHeader].ToString();
        if (!string.IsNullOrWhiteSpace(idHeader))
        {
            userId = idHeader.Trim();
        }
        else
        {
            var principal = request.Headers[PrincipalHeader].ToString();
            if (!string.IsNullOrWhiteSpace(principal))
            {
                userId = FromPrincipal(principal.Trim());
                if (userId is null)
                {
                    return (null, ApiResult.BadRequest($"the {PrincipalHeader} header is not a readable principal (base64 JSON with a userId or an id claim)"));
                }
            }
        }

        if (userId is not null && !TreeValidator.IsValidUserId(userId))
        {
            return (null, ApiResult.BadRequest("the authenticated principal's id is not a usable user id"));
        }

        return (userId, null);
    }

    private static string? FromPrincipal(string encoded)
    {
        try
        {
            var bytes = Convert.FromBase64String(encoded);
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (root.TryGetProperty("userId", out var id) && id.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(id.GetString()))
            {
                return id.GetString();
            }

            if (root.TryGetProperty("claims", out var claims) && claims.ValueKind == JsonValueKind.Array)
            {
                foreach (var type in IdClaims)
                {
                    foreach (var claim in claims.EnumerateArray())
                    {
                        if (claim.ValueKind == JsonValueKind.Object
                            && claim.TryGetProperty("typ", out var typ) && typ.ValueKind == JsonValueKind.String
                            && string.Equals(typ.GetString(), type, StringComparison.OrdinalIgnoreCase)
                            && claim.TryGetProperty("val", out var val) && val.ValueKind == JsonValueKind.String
                            && !string.IsNullOrWhiteSpace(val.GetString()))
                        {
                            return val.GetString();
                        }
                    }
                }
            }

            return null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // GetString on a string holding invalid UTF-8 or an escaped lone surrogate ("\udc00").
            return null;
        }
    }
}
