using Microsoft.Extensions.Configuration;

namespace DurableFlow.Api;

/// <summary>
/// Whether the <c>X-MS-CLIENT-PRINCIPAL*</c> headers say who calls. They do only when something in front
/// of the app sets them and strips client-sent copies: App Service Authentication (which sets
/// <c>WEBSITE_AUTH_ENABLED=True</c> while it is on), or a proxy the operator vouches for with
/// <c>Api:TrustPrincipalHeaders=true</c>. Otherwise any key holder could send them and act as anyone, so
/// they are ignored.
/// </summary>
public sealed class PrincipalTrust
{
    /// <summary>The setting App Service sets while its authentication is on.</summary>
    public const string PlatformSetting = "WEBSITE_AUTH_ENABLED";

    /// <summary>The operator's statement that a trusted proxy sets the principal headers.</summary>
    public const string ProxySetting = "Api:TrustPrincipalHeaders";

    public PrincipalTrust(bool headersTrusted) => HeadersTrusted = headersTrusted;

    /// <summary>True when the principal headers identify the caller.</summary>
    public bool HeadersTrusted { get; }

    /// <summary>Trust as the app's configuration (app settings and environment) states it.</summary>
    public static PrincipalTrust From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new(IsTrue(configuration[PlatformSetting]) || IsTrue(configuration[ProxySetting]));
    }

    /// <summary>Trust from the process environment, for requests that carry no services.</summary>
    public static PrincipalTrust FromEnvironment() =>
        new(IsTrue(Environment.GetEnvironmentVariable(PlatformSetting))
            || IsTrue(Environment.GetEnvironmentVariable(ProxySetting.Replace(":", "__", StringComparison.Ordinal))));

    private static bool IsTrue(string? value) => bool.TryParse(value?.Trim(), out var flag) && flag;
}
