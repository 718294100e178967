using System.Buffers;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Voxgate.Gateway.Accounts;

/// <summary>
/// API keys are <c>sk-vg-</c> followed by 32 random bytes in base62 (43 characters). Only the SHA-256 of a key and
/// its first <see cref="PrefixLength"/> characters are stored: the prefix finds the row, the hash proves the key.
/// </summary>
public static class ApiKeyFormat
{
    public const string Marker = "sk-vg-";
    public const int RandomBytes = 32;
    public const int EncodedLength = 43; // ceil(256 / log2(62))
    public const int PrefixLength = 12;  // "sk-vg-" and six base62 characters: 5.7e10 values
    public const int KeyLength = 6 + EncodedLength;

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly SearchValues<char> s_alphabet = SearchValues.Create(Alphabet);

    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(bytes);
        var value = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var encoded = new char[EncodedLength];
        for (int i = EncodedLength - 1; i >= 0; i--)
        {
            value = BigInteger.DivRem(value, 62, out BigInteger digit);
            encoded[i] = Alphabet[(int)digit];
        }
        return Marker + new string(encoded);
    }

    /// <summary>True when <paramref name="key"/> has the shape of a Voxgate key (not that it exists).</summary>
    public static bool IsWellFormed(string key) =>
        key.Length == KeyLength && key.StartsWith(Marker, StringComparison.Ordinal) && key.AsSpan(Marker.Length).IndexOfAnyExcept(s_alphabet) < 0;

    public static string Prefix(string key) => key[..PrefixLength];

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>Compares digests in constant time, so timing says nothing about how much of a guess was right.</summary>
    public static bool Matches(string key, byte[] storedHash) => CryptographicOperations.FixedTimeEquals(Hash(key), storedHash);
}
