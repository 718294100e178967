using System.Security.Cryptography;

namespace Voxgate.Gateway.Security;

/// <summary>
/// Task and file ids: random 16-digit integers, never sequential. MiniMax's ids are int64s of about that length; staying
/// below 2^53 keeps them exact in JavaScript clients, which parse JSON numbers as doubles. 53 bits of randomness make
/// an id unguessable, and ids are scoped to their account besides.
/// </summary>
public static class RandomIds
{
    private const long Smallest = 1_000_000_000_000_000;
    private const long Largest = (1L << 53) - 1;

    public static long Next()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        // Reducing 64 random bits into a range under 2^53 biases values by under 2^-11: irrelevant to unguessability.
        return Smallest + (long)(BitConverter.ToUInt64(bytes) % (ulong)(Largest - Smallest + 1));
    }
}
