using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DurableFlow.Graph;

namespace DurableFlow.Storage;

/// <summary>
/// The table keys of the tree index. Two entities per tree, in one table:
/// <list type="bullet">
/// <item>the tree row: PartitionKey <c>tree|{tree_id}</c>, RowKey <c>tree</c> — a point read by id,
/// and the idempotency anchor (inserting it twice fails with 409);</item>
/// <item>the user row: PartitionKey <c>user|{sha256(user_id) in hex}</c>, RowKey
/// <c>{DateTime.MaxValue.Ticks - created_at.UtcTicks, 19 digits}|{tree_id}</c> — a user's trees in one
/// partition, in ascending key order = newest first.</item>
/// </list>
/// The prefixes keep the two kinds of partition apart; tree ids are restricted to key-safe characters,
/// and the user id is hashed because it may hold any character but <c>/ \ # ?</c> and control characters
/// (the hash has a fixed length and cannot collide between users in practice; listing also filters
/// on the stored <c>user_id</c>, so even a collision would not leak another user's trees).
/// </summary>
internal static class TreeIndexKeys
{
    public const string TreeRowKey = "tree";
    private const string TreePrefix = "tree|";
    private const string UserPrefix = "user|";
    private const byte ContinuationFormat = 1;
    private const int ChecksumLength = 8;

    // Longest valid token: base64url of format byte, checksum, 19 digits, '|' and a 128-character id.
    private const int MaxContinuationLength = 256;

    public static string TreePartitionKey(string treeId) => TreePrefix + treeId;

    public static string UserPartitionKey(string userId) =>
        UserPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId)));

    public static string UserRowKey(DateTimeOffset createdAt, string treeId) =>
        (DateTime.MaxValue.Ticks - createdAt.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "|" + treeId;

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="treeId"/> keeps the id rule.</summary>
    public static void CheckTreeId(string treeId, string paramName)
    {
        ArgumentNullException.ThrowIfNull(treeId, paramName);
        if (!TreeValidator.IsValidId(treeId))
        {
            throw new ArgumentException(
                $"Tree id '{treeId}' is not valid: use 1-{TreeValidator.MaxIdLength} ASCII letters, digits and ._:- starting with a letter or digit.",
                paramName);
        }
    }

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="userId"/> keeps the user id rule.</summary>
    public static void CheckUserId(string userId, string paramName)
    {
        ArgumentNullException.ThrowIfNull(userId, paramName);
        if (!TreeValidator.IsValidUserId(userId))
        {
            throw new ArgumentException(
                $"User id is not valid: use 1-{TreeValidator.MaxUserIdLength} characters of well-formed text without control characters or / \\ # ?.",
                paramName);
        }
    }

    /// <summary>
    /// The opaque token for "the page after the user row <paramref name="rowKey"/>" of the listing
    /// <paramref name="scope"/> (user partition and filter): base64url of a format byte, a checksum of
    /// scope and row key, and the row key.
    /// </summary>
    public static string EncodeContinuation(string scope, string rowKey)
    {
        var key = Encoding.UTF8.GetBytes(rowKey);
        var payload = new byte[1 + ChecksumLength + key.Length];
        payload[0] = ContinuationFormat;
        Checksum(scope, key).CopyTo(payload, 1);
        key.CopyTo(payload, 1 + ChecksumLength);
        return Base64Url.EncodeToString(payload);
    }

    /// <summary>
    /// The user row key a continuation token of the listing <paramref name="scope"/> points after. The
    /// checksum catches a token that was cut, altered by hand or made for another user or filter; it is no
    /// secret, but a token is only a position inside the caller's own partition, so a forged one can only
    /// move the page, never reach another user's rows.
    /// </summary>
    /// <exception cref="InvalidContinuationException">The token is not one made for this listing.</exception>
    public static string DecodeContinuation(string scope, string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        byte[] payload;
        try
        {
            payload = token.Length is > 0 and <= MaxContinuationLength ? Base64Url.DecodeFromChars(token) : [];
        }
        catch (FormatException e)
        {
            throw new InvalidContinuationException("The continuation token is not valid.", e);
        }

        if (payload.Length <= 1 + ChecksumLength || payload[0] != ContinuationFormat)
        {
            throw new InvalidContinuationException();
        }

        var key = payload.AsSpan(1 + ChecksumLength);
        if (!CryptographicOperations.FixedTimeEquals(payload.AsSpan(1, ChecksumLength), Checksum(scope, key)))
        {
            throw new InvalidContinuationException();
        }

        // Non-ASCII bytes decode to '?', which the shape check rejects.
        var rowKey = Encoding.ASCII.GetString(key);
        if (!IsUserRowKey(rowKey) || !string.Equals(EncodeContinuation(scope, rowKey), token, StringComparison.Ordinal))
        {
            throw new InvalidContinuationException();
        }

        return rowKey;
    }

    private static byte[] Checksum(string scope, ReadOnlySpan<byte> rowKey)
    {
        var scopeBytes = Encoding.UTF8.GetBytes(scope + "\n");
        var input = new byte[scopeBytes.Length + rowKey.Length];
        scopeBytes.CopyTo(input, 0);
        rowKey.CopyTo(input.AsSpan(scopeBytes.Length));
        return SHA256.HashData(input)[..ChecksumLength];
    }

    private static bool IsUserRowKey(ReadOnlySpan<char> rowKey)
    {
        const int TicksDigits = 19;
        if (rowKey.Length < TicksDigits + 2 || rowKey[TicksDigits] != '|')
        {
            return false;
        }

        foreach (var c in rowKey[..TicksDigits])
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return TreeValidator.IsValidId(rowKey[(TicksDigits + 1)..].ToString());
    }
}
