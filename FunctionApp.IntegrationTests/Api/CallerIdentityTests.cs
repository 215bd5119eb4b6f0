using System.Text;
using DurableFlow.Api;
using DurableFlow.Tests.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DurableFlow.Tests.Api;

/// <summary>
/// Who calls: principal headers count only where the platform (or a proxy the operator vouches for) sets
/// them, and an unreadable principal is a 400, never a 500.
/// </summary>
public sealed class CallerIdentityTests(TableStorageFixture storage) : IClassFixture<TableStorageFixture>
{
    private static ServiceProvider Services(PrincipalTrust trust) => new ServiceCollection().AddSingleton(trust).BuildServiceProvider();

    private static HttpRequest Request(IServiceProvider? services, string header, string value)
    {
        var context = new DefaultHttpContext();
        if (services is not null)
        {
            context.RequestServices = services;
        }

        context.Request.Headers[header] = value;
        return context.Request;
    }

    private static PrincipalTrust Configured(params (string Key, string Value)[] settings) =>
        PrincipalTrust.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build());

    [Theory]
    [InlineData("WEBSITE_AUTH_ENABLED", "True", true)]
    [InlineData("WEBSITE_AUTH_ENABLED", "true", true)]
    [InlineData("WEBSITE_AUTH_ENABLED", "False", false)]
    [InlineData("Api:TrustPrincipalHeaders", "true", true)]
    [InlineData("Api:TrustPrincipalHeaders", "false", false)]
    [InlineData("Api:TrustPrincipalHeaders", "yes", false)]
    [InlineData("Unrelated", "true", false)]
    public void Headers_are_trusted_only_when_the_platform_or_the_operator_says_so(string key, string value, bool trusted) =>
        Assert.Equal(trusted, Configured((key, value)).HeadersTrusted);

    [Fact]
    public void Without_authentication_in_front_a_principal_header_is_ignored()
    {
        var untrusted = Request(Services(Configured()), CallerIdentity.PrincipalIdHeader, "dave");
        var trusted = Request(Services(Configured(("WEBSITE_AUTH_ENABLED", "True"))), CallerIdentity.PrincipalIdHeader, "dave");

        Assert.Equal(((string?)null, (ApiResult?)null), CallerIdentity.Read(untrusted));
        Assert.Equal("dave", CallerIdentity.Read(trusted).UserId);
    }

    [Fact]
    public void A_request_without_services_falls_back_to_the_environment_which_here_trusts_nothing()
    {
        Assert.Null(Environment.GetEnvironmentVariable(PrincipalTrust.PlatformSetting));

        Assert.Equal(((string?)null, (ApiResult?)null), CallerIdentity.Read(Request(null, CallerIdentity.PrincipalIdHeader, "dave")));
    }

    [Fact]
    public void An_untrusted_unreadable_principal_is_not_even_parsed()
    {
        var request = Request(Services(Configured()), CallerIdentity.PrincipalHeader, "!!! not base64 !!!");

        Assert.Equal(((string?)null, (ApiResult?)null), CallerIdentity.Read(request));
    }

    [Theory]
    [InlineData("""{"userId":"\udc00"}""")]
    [InlineData("""{"userId":"\ud800x"}""")]
    [InlineData("""{"claims":[{"typ":"sub","val":"\udfff"}]}""")]
    [InlineData("""{"claims":[{"typ":"\ud83d","val":"x"}]}""")]
    public void A_principal_whose_strings_hold_lone_surrogates_is_400_invalid_request(string json)
    {
        var encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes(json));

        AssertInvalidRequest(CallerIdentity.Read(Request(ApiHarness.AuthenticatedPlatform, CallerIdentity.PrincipalHeader, encoded)));
    }

    [Fact]
    public void A_principal_whose_strings_hold_invalid_UTF_8_is_400_invalid_request()
    {
        byte[] json = [.. "{\"userId\":\""u8, 0xC3, 0x28, 0xFF, .. "\"}"u8];

        AssertInvalidRequest(CallerIdentity.Read(Request(ApiHarness.AuthenticatedPlatform, CallerIdentity.PrincipalHeader, Convert.ToBase64String(json))));
    }

    [Fact]
    public async Task Through_the_API_a_deployment_without_authentication_takes_the_owner_from_the_body()
    {
        var h = new ApiHarness(storage.CreateIndex());
        var id = "t" + Guid.NewGuid().ToString("N");
        var request = ApiHarness.Request("POST", ApiHarness.Tree(id, "carol"), headers: ApiHarness.As("dave"));
        request.HttpContext.RequestServices = Services(Configured());

        var response = await ApiHarness.RunAsync(h.Api.SubmitAsync(request, h.Client.Object, CancellationToken.None));

        // With the header trusted this would be 403 forbidden_user (dave submitting for carol).
        Assert.Equal(202, response.Status);
        Assert.Equal("carol", (await h.Index.GetAsync(id))?.UserId);
    }

    private static void AssertInvalidRequest((string? UserId, ApiResult? Rejection) read)
    {
        Assert.Null(read.UserId);
        Assert.NotNull(read.Rejection);
        Assert.Equal(400, read.Rejection.StatusCode);
        Assert.Equal("invalid_request", Assert.IsType<ErrorEnvelope>(read.Rejection.Body).Error.Code);
    }
}
