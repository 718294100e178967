using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Voxgate.Speech.Native;

/// <summary>
/// FFmpeg 5.1's native AAC-LC encoder, in process (Debian <c>libavcodec59</c> + <c>libavutil57</c>; FFmpeg's own code is
/// LGPL-2.1+, but Debian links GPL parts in, so these binaries are GPL-2+: loaded only when AAC is requested, and
/// <c>Voxgate:Encoders:AacEnabled=false</c> keeps them out entirely). Codec options are set by name through AVOptions;
/// the few struct fields that have no option (<c>AVCodecContext.sample_fmt</c> and the AVFrame audio fields) are
/// written at the offsets of these sonames, whose ABI FFmpeg keeps fixed within a major version. The offsets were
/// checked with <c>offsetof</c> against the 5.1.9 headers; <see cref="CheckVersions"/> refuses any other major.
/// </summary>
internal static unsafe partial class AvCodec
{
    private const string CodecLibrary = "libavcodec.so.59";
    private const string UtilLibrary = "libavutil.so.57";

    private const int ExpectedCodecMajor = 59;
    private const int ExpectedUtilMajor = 57;

    private const int ContextSampleFormatOffset = 360;  // AVCodecContext.sample_fmt
    private const int FrameNbSamplesOffset = 112;       // AVFrame.nb_samples
    private const int FrameFormatOffset = 116;          // AVFrame.format
    private const int FrameSampleRateOffset = 208;      // AVFrame.sample_rate
    private const int FrameChannelLayoutOffset = 448;   // AVFrame.ch_layout (AVChannelLayout)
    private const int PacketDataOffset = 24;            // AVPacket.data
    private const int PacketSizeOffset = 32;            // AVPacket.size

    private const int SampleFormatFloatPlanar = 8;      // AV_SAMPLE_FMT_FLTP
    private const int LogLevelError = 16;               // AV_LOG_ERROR
    private const int SearchChildren = 1;               // AV_OPT_SEARCH_CHILDREN: reach the encoder's private options
    public const int ErrorAgain = -11;                  // AVERROR(EAGAIN)
    public const int ErrorEndOfFile = -541478725;       // AVERROR_EOF

    [LibraryImport(CodecLibrary, EntryPoint = "avcodec_version")]
    private static partial uint CodecVersion();

    [LibraryImport(UtilLibrary, EntryPoint = "avutil_version")]
    private static partial uint UtilVersion();

    [LibraryImport(CodecLibrary, EntryPoint = "avcodec_find_encoder_by_name", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint FindEncoderByName(string name);

    [LibraryImport(CodecLibrary, EntryPoint = "avcodec_alloc_context3")]
    private static partial ContextHandle AllocContext(nint codec);

    [LibraryImport(CodecLibrary, EntryPoint = "avcodec_free_context")]
    private static partial void FreeContext(nint* context);

    [LibraryImport(CodecLibrary, EntryPoint = "avcodec_open2")]
    private static partial int Open(ContextHandle context, nint codec, nint options);

    [LibraryImport(CodecLibrary, EntryPoint = "avcodec_send_frame")]
    private static partial int NativeSendFrame(ContextHandle context, nint frame);

    [LibraryImport(CodecLibrary, EntryPoint = "avcodec_receive_packet")]
    private static partial int NativeReceivePacket(ContextHandle context, PacketHandle packet);

    [LibraryImport(CodecLibrary, EntryPoint = "av_packet_alloc")]
    private static partial PacketHandle PacketAlloc();

    [LibraryImport(CodecLibrary, EntryPoint = "av_packet_free")]
    private static partial void PacketFree(nint* packet);

    [LibraryImport(CodecLibrary, EntryPoint = "av_packet_unref")]
    private static partial void PacketUnref(PacketHandle packet);

    [LibraryImport(UtilLibrary, EntryPoint = "av_frame_alloc")]
    private static partial FrameHandle FrameAlloc();

    [LibraryImport(UtilLibrary, EntryPoint = "av_frame_free")]
    private static partial void FrameFree(nint* frame);

    [LibraryImport(UtilLibrary, EntryPoint = "av_frame_get_buffer")]
    private static partial int FrameGetBuffer(FrameHandle frame, int align);

    [LibraryImport(UtilLibrary, EntryPoint = "av_frame_make_writable")]
    private static partial int FrameMakeWritable(FrameHandle frame);

    [LibraryImport(UtilLibrary, EntryPoint = "av_channel_layout_default")]
    private static partial void ChannelLayoutDefault(nint layout, int channels);

    [LibraryImport(UtilLibrary, EntryPoint = "av_opt_set_int", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OptSetInt(ContextHandle target, string name, long value, int searchFlags);

    [LibraryImport(UtilLibrary, EntryPoint = "av_opt_set", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OptSet(ContextHandle target, string name, string value, int searchFlags);

    [LibraryImport(UtilLibrary, EntryPoint = "av_opt_get_int", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OptGetInt(ContextHandle target, string name, int searchFlags, long* value);

    [LibraryImport(UtilLibrary, EntryPoint = "av_log_set_level")]
    private static partial void LogSetLevel(int level);

    [LibraryImport(UtilLibrary, EntryPoint = "av_strerror")]
    private static partial int StrError(int error, byte* buffer, nuint size);

    /// <summary>FFmpeg objects are freed through their address (<c>avcodec_free_context(&amp;ctx)</c> and the like).</summary>
    public abstract class FreedByAddressHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected abstract void Free(nint* address);

        protected override bool ReleaseHandle()
        {
            nint pointer = handle;
            Free(&pointer);
            return true;
        }
    }

    public sealed class ContextHandle : FreedByAddressHandle
    {
        protected override void Free(nint* address) => FreeContext(address);
    }

    public sealed class FrameHandle : FreedByAddressHandle
    {
        protected override void Free(nint* address) => FrameFree(address);
    }

    public sealed class PacketHandle : FreedByAddressHandle
    {
        protected override void Free(nint* address) => PacketFree(address);
    }

    /// <summary>Throws unless the loaded libraries are the majors whose struct offsets are compiled in.</summary>
    public static void CheckVersions()
    {
        uint codec = CodecVersion() >> 16;
        uint util = UtilVersion() >> 16;
        if (codec != ExpectedCodecMajor || util != ExpectedUtilMajor)
        {
            throw new NotSupportedException(
                $"libavcodec {codec} / libavutil {util} are not the ABI this binding was checked against ({ExpectedCodecMajor}/{ExpectedUtilMajor}).");
        }
    }

    /// <summary>Opens FFmpeg's AAC-LC encoder for planar float input; returns it with its frame size.</summary>
    public static (ContextHandle Context, int FrameSize) OpenAacEncoder(int sampleRate, int channels, int bitrate)
    {
        CheckVersions();
        // FFmpeg logs encoder statistics to stderr at the default level; only errors are worth seeing.
        LogSetLevel(LogLevelError);
        nint codec = FindEncoderByName("aac");
        if (codec == 0)
        {
            throw new NotSupportedException("This libavcodec has no 'aac' encoder.");
        }
        ContextHandle context = AllocContext(codec);
        if (context.IsInvalid)
        {
            throw new InvalidOperationException("avcodec_alloc_context3 failed.");
        }
        try
        {
            Check(OptSetInt(context, "ar", sampleRate, 0), "set sample rate");
            Check(OptSet(context, "ch_layout", channels == 1 ? "mono" : "stereo", 0), "set channel layout");
            Check(OptSetInt(context, "b", bitrate, 0), "set bitrate");
            // The default "twoloop" coder is ~5x slower than "fast" and adds little at speech bitrates.
            Check(OptSet(context, "aac_coder", "fast", SearchChildren), "set coder");
            *(int*)(context.DangerousGetHandle() + ContextSampleFormatOffset) = SampleFormatFloatPlanar;
            Check(Open(context, codec, 0), "avcodec_open2");
            long frameSize;
            Check(OptGetInt(context, "frame_size", 0, &frameSize), "get frame size");
            return (context, (int)frameSize);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>Allocates a writable planar-float frame of <paramref name="frameSize"/> samples per channel.</summary>
    public static FrameHandle AllocFloatPlanarFrame(int sampleRate, int channels, int frameSize)
    {
        FrameHandle frame = FrameAlloc();
        if (frame.IsInvalid)
        {
            throw new InvalidOperationException("av_frame_alloc failed.");
        }
        nint f = frame.DangerousGetHandle();
        *(int*)(f + FrameNbSamplesOffset) = frameSize;
        *(int*)(f + FrameFormatOffset) = SampleFormatFloatPlanar;
        *(int*)(f + FrameSampleRateOffset) = sampleRate;
        ChannelLayoutDefault(f + FrameChannelLayoutOffset, channels);
        int status = FrameGetBuffer(frame, 0);
        if (status < 0)
        {
            frame.Dispose();
            Check(status, "av_frame_get_buffer");
        }
        return frame;
    }

    /// <summary>Copies interleaved samples into the planes of <paramref name="frame"/> and sets its sample count.</summary>
    public static void FillFrame(FrameHandle frame, ReadOnlySpan<float> interleaved, int channels)
    {
        Check(FrameMakeWritable(frame), "av_frame_make_writable");
        nint f = frame.DangerousGetHandle();
        int frames = interleaved.Length / channels;
        *(int*)(f + FrameNbSamplesOffset) = frames;
        var planes = (float**)f; // AVFrame.data[8] is at offset 0
        for (int c = 0; c < channels; c++)
        {
            float* plane = planes[c];
            for (int i = 0; i < frames; i++)
            {
                plane[i] = interleaved[i * channels + c];
            }
        }
    }

    /// <summary>Sends a frame, or the end of the stream when <paramref name="frame"/> is null.</summary>
    public static void SendFrame(ContextHandle context, FrameHandle? frame) =>
        Check(NativeSendFrame(context, frame?.DangerousGetHandle() ?? 0), "avcodec_send_frame");

    public static PacketHandle AllocPacket()
    {
        PacketHandle packet = PacketAlloc();
        return packet.IsInvalid ? throw new InvalidOperationException("av_packet_alloc failed.") : packet;
    }

    /// <summary>Receives the next packet; returns false when the encoder needs more input or has finished.</summary>
    public static bool ReceivePacket(ContextHandle context, PacketHandle packet, out ReadOnlySpan<byte> data)
    {
        PacketUnref(packet);
        int status = NativeReceivePacket(context, packet);
        if (status == ErrorAgain || status == ErrorEndOfFile)
        {
            data = default;
            return false;
        }
        Check(status, "avcodec_receive_packet");
        nint p = packet.DangerousGetHandle();
        data = new ReadOnlySpan<byte>(*(byte**)(p + PacketDataOffset), *(int*)(p + PacketSizeOffset));
        return true;
    }

    private static void Check(int status, string what)
    {
        if (status < 0)
        {
            byte* buffer = stackalloc byte[256];
            StrError(status, buffer, 256);
            throw new InvalidOperationException($"{what} failed: {Marshal.PtrToStringUTF8((nint)buffer)} ({status}).");
        }
    }
}
