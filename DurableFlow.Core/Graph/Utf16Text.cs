namespace DurableFlow.Graph;

/// <summary>The one check for well-formed UTF-16 (no lone surrogate): such text is not text, and JSON
/// output, storage keys and executors would reject or mangle it later.</summary>
public static class Utf16Text
{
    /// <summary>True when every surrogate in <paramref name="text"/> is part of a high-low pair.</summary>
    public static bool IsWellFormed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
