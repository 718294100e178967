using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Voxgate.Speech.Native;

/// <summary>LAME 3.100 MP3 encoder (Debian <c>libmp3lame0</c>, LGPL-2+). One instance per stream.</summary>
internal static unsafe partial class Lame
{
    private const string Library = "libmp3lame.so.0";

    private const int ModeJointStereo = 1;
    private const int ModeMono = 3;

    [LibraryImport(Library, EntryPoint = "lame_init")]
    private static partial LameHandle Init();

    [LibraryImport(Library, EntryPoint = "lame_close")]
    private static partial int NativeClose(nint flags);

    [LibraryImport(Library, EntryPoint = "lame_set_in_samplerate")]
    private static partial int SetInSampleRate(LameHandle flags, int rate);

    [LibraryImport(Library, EntryPoint = "lame_set_out_samplerate")]
    private static partial int SetOutSampleRate(LameHandle flags, int rate);

    [LibraryImport(Library, EntryPoint = "lame_set_num_channels")]
    private static partial int SetChannelCount(LameHandle flags, int channels);

    [LibraryImport(Library, EntryPoint = "lame_set_mode")]
    private static partial int SetMode(LameHandle flags, int mode);

    [LibraryImport(Library, EntryPoint = "lame_set_brate")]
    private static partial int SetBitrate(LameHandle flags, int kbps);

    [LibraryImport(Library, EntryPoint = "lame_set_quality")]
    private static partial int SetQuality(LameHandle flags, int quality);

    [LibraryImport(Library, EntryPoint = "lame_set_bWriteVbrTag")]
    private static partial int SetWriteVbrTag(LameHandle flags, int write);

    [LibraryImport(Library, EntryPoint = "lame_init_params")]
    private static partial int InitParams(LameHandle flags);

    [LibraryImport(Library, EntryPoint = "lame_get_brate")]
    private static partial int GetBitrate(LameHandle flags);

    [LibraryImport(Library, EntryPoint = "lame_encode_buffer_interleaved_ieee_float")]
    private static partial int EncodeInterleavedFloat(LameHandle flags, float* pcm, int frames, byte* output, int outputSize);

    [LibraryImport(Library, EntryPoint = "lame_encode_buffer_ieee_float")]
    private static partial int EncodeMonoFloat(LameHandle flags, float* left, float* right, int frames, byte* output, int outputSize);

    [LibraryImport(Library, EntryPoint = "lame_encode_flush")]
    private static partial int Flush(LameHandle flags, byte* output, int outputSize);

    public sealed class LameHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public LameHandle() : base(ownsHandle: true)
        {
        }

        protected override bool ReleaseHandle() => NativeClose(handle) == 0;
    }

    /// <summary>Creates a constant-bitrate encoder with no Xing/Info frame (the output is streamed, never rewound).</summary>
    /// <returns>The encoder and the bitrate LAME actually chose (it rounds to the nearest legal one).</returns>
    public static (LameHandle Encoder, int BitrateKbps) Create(int sampleRate, int channels, int bitrateKbps, int quality)
    {
        LameHandle encoder = Init();
        if (encoder.IsInvalid)
        {
            throw new InvalidOperationException("lame_init failed.");
        }
        // Each setter answers -1 for a value out of its range (lame_init_params judges the combination).
        int status = new[]
        {
            SetInSampleRate(encoder, sampleRate),
            SetOutSampleRate(encoder, sampleRate),
            SetChannelCount(encoder, channels),
            SetMode(encoder, channels == 1 ? ModeMono : ModeJointStereo),
            SetBitrate(encoder, bitrateKbps),
            SetQuality(encoder, quality),
            SetWriteVbrTag(encoder, 0),
        }.Min();
        if (status >= 0)
        {
            status = InitParams(encoder);
        }
        if (status < 0)
        {
            encoder.Dispose();
            throw new InvalidOperationException($"LAME refused its settings ({status}) for {sampleRate} Hz, {channels} ch, {bitrateKbps} kbps.");
        }
        return (encoder, GetBitrate(encoder));
    }

    /// <summary>Worst-case output size for <paramref name="frames"/> input frames (LAME's documented bound).</summary>
    public static int MaxOutputBytes(int frames) => frames + frames / 4 + 7200;

    /// <summary>Encodes interleaved float samples in [-1, 1]; returns the number of bytes written.</summary>
    public static int Encode(LameHandle encoder, ReadOnlySpan<float> interleaved, int channels, Span<byte> output)
    {
        int frames = interleaved.Length / channels;
        fixed (float* pcm = interleaved)
        fixed (byte* outPtr = output)
        {
            int written = channels == 1
                ? EncodeMonoFloat(encoder, pcm, pcm, frames, outPtr, output.Length)
                : EncodeInterleavedFloat(encoder, pcm, frames, outPtr, output.Length);
            if (written < 0)
            {
                throw new InvalidOperationException($"lame_encode_buffer failed ({written}).");
            }
            return written;
        }
    }

    public static int Flush(LameHandle encoder, Span<byte> output)
    {
        fixed (byte* outPtr = output)
        {
            int written = Flush(encoder, outPtr, output.Length);
            if (written < 0)
            {
                throw new InvalidOperationException($"lame_encode_flush failed ({written}).");
            }
            return written;
        }
    }
}
