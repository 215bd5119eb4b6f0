using DurableFlow.Api;
using Microsoft.AspNetCore.Http;

namespace DurableFlow.Tests.Api;

/// <summary>The media-type check of every JSON body the API reads (submit and rerun).</summary>
public class RequestBodyTests
{
    private static ApiResult? Check(string contentType)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = contentType;
        return RequestBody.CheckContentType(context.Request);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=\"utf-8\"")]
    [InlineData("application/json;charset=\"UTF-8\"")]
    [InlineData("application/json; CHARSET=Utf-8")]
    [InlineData("application/json; Charset=\"utf8\"")]
    [InlineData("application/problem+json; charset=\"utf-8\"")]
    public void UTF_8_is_accepted_however_the_charset_is_quoted_or_cased(string contentType) =>
        Assert.Null(Check(contentType));

    [Theory]
    [InlineData("application/json; charset=\"iso-8859-1\"", "charset 'iso-8859-1' is not supported: send UTF-8")]
    [InlineData("application/json; charset=utf-16", "charset 'utf-16' is not supported: send UTF-8")]
    public void Other_charsets_are_415_naming_the_unquoted_charset(string contentType, string message)
    {
        var rejection = Check(contentType);

        Assert.NotNull(rejection);
        Assert.Equal(415, rejection.StatusCode);
        var error = Assert.IsType<ErrorEnvelope>(rejection.Body).Error;
        Assert.Equal(("unsupported_media_type", message), (error.Code, error.Message));
    }
}
