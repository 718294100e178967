using System.Security.Cryptography;

namespace Voxgate.Gateway.Security;

/// <summary>Task and file ids: random positive int64s of 15 to 19 digits (MiniMax's ids are int64), never sequential.</summary>
public static class RandomIds
{
    private const long Smallest = 100_000_000_000_000;

    public static long Next()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        ulong value = BitConverter.ToUInt64(bytes) & long.MaxValue;
        return Smallest + (long)(value % (ulong)(long.MaxValue - Smallest));
    }
}
