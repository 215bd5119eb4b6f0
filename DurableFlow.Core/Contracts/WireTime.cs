using System.Globalization;

namespace DurableFlow.Contracts;

/// <summary>The one timestamp format of the status records and the API: ISO-8601 UTC, 7 fractional digits, a Z.</summary>
public static class WireTime
{
    public static string Format(DateTime time) =>
        DateTime.SpecifyKind(time, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
