using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Voxgate.Speech.Native;

/// <summary>
/// FFmpeg 5.1's native AAC-LC encoder, and its parsers and decoders for reading audio back (the watermark detector),
/// in process (Debian <c>libavcodec59</c> + <c>libavutil57</c>; FFmpeg's own code is
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
    private const int PacketStreamIndexOffset = 36;     // AVPacket.stream_index
    private const int CodecIdOffset = 20;               // AVCodec.id
    private const int ChannelLayoutChannelsOffset = 4;  // AVChannelLayout.nb_channels

    private const int SampleFormatShort = 1;            // AV_SAMPLE_FMT_S16
    private const int SampleFormatInt = 2;              // AV_SAMPLE_FMT_S32
    private const int SampleFormatFloat = 3;            // AV_SAMPLE_FMT_FLT
    private const int SampleFormatShortPlanar = 6;      // AV_SAMPLE_FMT_S16P
    private const int SampleFormatIntPlanar = 7;        // AV_SAMPLE_FMT_S32P
    private const int SampleFormatFloatPlanar = 8;      // AV_SAMPLE_FMT_FLTP
    private const long NoTimestamp = long.MinValue;     // AV_NOPTS_VALUE
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

    [LibraryImport(CodecLibrary, EntryPoint = "avcodec_find_decoder_by_name", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint FindDecoderByName(string name);

    [LibraryImport(CodecLibrary, EntryPoint = "av_parser_init")]
    private static partial ParserHandle ParserInit(int codecId);

    [LibraryImport(CodecLibrary, EntryPoint = "av_parser_parse2")]
    private static partial int ParserParse(ParserHandle parser, ContextHandle context, byte** packet, int* packetSize, byte* input, int inputSize,
        long pts, long dts, long position);

    [LibraryImport(CodecLibrary, EntryPoint = "av_parser_close")]
    private static partial void ParserClose(nint parser);

    [LibraryImport(CodecLibrary, EntryPoint = "avcodec_send_packet")]
    private static partial int NativeSendPacket(ContextHandle context, nint packet);

    [LibraryImport(CodecLibrary, EntryPoint = "avcodec_receive_frame")]
    private static partial int NativeReceiveFrame(ContextHandle context, FrameHandle frame);

    [LibraryImport(UtilLibrary, EntryPoint = "av_frame_unref")]
    private static partial void FrameUnref(FrameHandle frame);

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

    [LibraryImport(CodecLibrary, EntryPoint = "avcodec_parameters_to_context")]
    private static partial int ParametersToContext(ContextHandle context, nint parameters);

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

    /// <summary>A parser (<c>av_parser_close</c> takes the pointer itself).</summary>
    public sealed class ParserHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        protected override bool ReleaseHandle()
        {
            ParserClose(handle);
            return true;
        }
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

    /// <summary>
    /// Opens a decoder by FFmpeg name (mp3float, aac, flac, opus) and the parser that cuts its raw stream into packets
    /// (null for Opus, whose packets come from the Ogg pages). <paramref name="sampleRate"/> and
    /// <paramref name="channels"/> are for streams without headers that say them (Opus without its OpusHead).
    /// </summary>
    public static (ContextHandle Context, ParserHandle? Parser) OpenDecoder(string name, bool parse, int sampleRate = 0, int channels = 0)
    {
        CheckVersions();
        LogSetLevel(LogLevelError);
        nint codec = FindDecoderByName(name);
        if (codec == 0)
        {
            throw new NotSupportedException($"This libavcodec has no '{name}' decoder.");
        }
        ContextHandle context = AllocContext(codec);
        ParserHandle? parser = null;
        try
        {
            if (context.IsInvalid)
            {
                throw new InvalidOperationException("avcodec_alloc_context3 failed.");
            }
            if (sampleRate > 0)
            {
                Check(OptSetInt(context, "ar", sampleRate, 0), "set sample rate");
            }
            if (channels > 0)
            {
                Check(OptSet(context, "ch_layout", channels == 1 ? "mono" : "stereo", 0), "set channel layout");
            }
            Check(Open(context, codec, 0), "avcodec_open2");
            if (parse)
            {
                parser = ParserInit(*(int*)(codec + CodecIdOffset));
                if (parser.IsInvalid)
                {
                    throw new NotSupportedException($"This libavcodec has no parser for '{name}'.");
                }
            }
            return (context, parser);
        }
        catch
        {
            parser?.Dispose();
            context.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Feeds raw stream bytes to the parser; returns how many it consumed, and the packet it completed (empty if none
    /// yet; valid until the next call). An empty <paramref name="input"/> flushes the last packet.
    /// </summary>
    public static int Parse(ParserHandle parser, ContextHandle context, ReadOnlySpan<byte> input, out ReadOnlySpan<byte> packet)
    {
        byte* output;
        int outputSize;
        int consumed;
        fixed (byte* data = input)
        {
            consumed = ParserParse(parser, context, &output, &outputSize, data, input.Length, NoTimestamp, NoTimestamp, 0);
        }
        Check(consumed, "av_parser_parse2");
        packet = outputSize > 0 ? new ReadOnlySpan<byte>(output, outputSize) : default;
        return consumed;
    }

    /// <summary>Sends one packet's bytes to the decoder (copied, as the packet is not reference-counted); empty flushes it.</summary>
    /// <returns>False when the decoder must hand out frames before it takes this packet.</returns>
    public static bool SendPacket(ContextHandle context, PacketHandle packet, ReadOnlySpan<byte> data)
    {
        int status;
        if (data.IsEmpty)
        {
            status = NativeSendPacket(context, 0);
            return status == ErrorEndOfFile || Succeeded(status, "avcodec_send_packet (flush)");
        }
        fixed (byte* bytes = data)
        {
            nint p = packet.DangerousGetHandle();
            *(byte**)(p + PacketDataOffset) = bytes;
            *(int*)(p + PacketSizeOffset) = data.Length;
            status = NativeSendPacket(context, p);
            *(byte**)(p + PacketDataOffset) = null;
            *(int*)(p + PacketSizeOffset) = 0;
        }
        return status != ErrorAgain && Succeeded(status, "avcodec_send_packet");
    }

    /// <summary>
    /// Receives the next decoded frame and appends it, mixed down to mono floats, to <paramref name="mono"/>; false
    /// when the decoder needs more input or has finished.
    /// </summary>
    public static bool ReceiveMonoFrame(ContextHandle context, FrameHandle frame, Action<ReadOnlySpan<float>, int> mono)
    {
        int status = NativeReceiveFrame(context, frame);
        if (status == ErrorAgain || status == ErrorEndOfFile)
        {
            return false;
        }
        Check(status, "avcodec_receive_frame");
        try
        {
            nint f = frame.DangerousGetHandle();
            int samples = *(int*)(f + FrameNbSamplesOffset), format = *(int*)(f + FrameFormatOffset);
            int sampleRate = *(int*)(f + FrameSampleRateOffset), channels = *(int*)(f + FrameChannelLayoutOffset + ChannelLayoutChannelsOffset);
            var planes = (byte**)f; // AVFrame.data[8]; fine for the one or two channels of speech
            if (channels is < 1 or > 8)
            {
                throw new NotSupportedException($"A decoded frame has {channels} channels.");
            }
            float[] mixed = new float[samples];
            for (int i = 0; i < samples; i++)
            {
                float sum = 0;
                for (int c = 0; c < channels; c++)
                {
                    sum += format switch
                    {
                        SampleFormatFloatPlanar => ((float*)planes[c])[i],
                        SampleFormatFloat => ((float*)planes[0])[i * channels + c],
                        SampleFormatShortPlanar => ((short*)planes[c])[i] / 32768f,
                        SampleFormatShort => ((short*)planes[0])[i * channels + c] / 32768f,
                        SampleFormatIntPlanar => ((int*)planes[c])[i] / 2147483648f,
                        SampleFormatInt => ((int*)planes[0])[i * channels + c] / 2147483648f,
                        _ => throw new NotSupportedException($"Decoded sample format {format} is not read here."),
                    };
                }
                mixed[i] = sum / channels;
            }
            mono(mixed, sampleRate);
            return true;
        }
        finally
        {
            FrameUnref(frame);
        }
    }

    /// <summary>
    /// Opens the decoder a demuxer chose for a stream (<c>AVCodec*</c>), configured from the stream's
    /// <c>AVCodecParameters*</c> (its sample rate, channels and extradata, such as AAC's AudioSpecificConfig).
    /// </summary>
    public static ContextHandle OpenStreamDecoder(nint codec, nint parameters)
    {
        CheckVersions();
        LogSetLevel(LogLevelError);
        ContextHandle context = AllocContext(codec);
        try
        {
            if (context.IsInvalid)
            {
                throw new InvalidOperationException("avcodec_alloc_context3 failed.");
            }
            Check(ParametersToContext(context, parameters), "avcodec_parameters_to_context");
            Check(Open(context, codec, 0), "avcodec_open2");
            return context;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>Sends a whole demuxed packet (an <c>AVPacket*</c> the caller owns); false when frames must be taken first.</summary>
    public static bool SendDemuxedPacket(ContextHandle context, PacketHandle packet)
    {
        int status = NativeSendPacket(context, packet.DangerousGetHandle());
        return status != ErrorAgain && (status == ErrorEndOfFile || Succeeded(status, "avcodec_send_packet"));
    }

    /// <summary>The stream index of a demuxed packet.</summary>
    public static int PacketStreamIndex(PacketHandle packet) => *(int*)(packet.DangerousGetHandle() + PacketStreamIndexOffset);

    /// <summary>Drops a demuxed packet's data (<c>av_packet_unref</c>) so the packet can take the next.</summary>
    public static void UnrefPacket(PacketHandle packet) => PacketUnref(packet);

    public static FrameHandle AllocFrame()
    {
        FrameHandle frame = FrameAlloc();
        return frame.IsInvalid ? throw new InvalidOperationException("av_frame_alloc failed.") : frame;
    }

    /// <summary>True for success; throws for an error other than end of stream.</summary>
    private static bool Succeeded(int status, string what)
    {
        Check(status, what);
        return true;
    }

    private static void Check(int status, string what)
    {
        if (status < 0)
        {
            byte* buffer = stackalloc byte[256];
            _ = StrError(status, buffer, 256); // below 0 only when it has no text for the code, and then it writes a generic one
            throw new InvalidOperationException($"{what} failed: {Marshal.PtrToStringUTF8((nint)buffer)} ({status}).");
        }
    }
}
