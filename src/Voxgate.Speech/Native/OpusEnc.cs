using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Voxgate.Speech.Native;

/// <summary>
/// libopusenc 0.2.1 over libopus 1.3.1 (Debian <c>libopusenc0</c>, BSD): Ogg Opus in pull mode, so pages are
/// taken as soon as they are complete with no native-to-managed callbacks.
/// </summary>
internal static unsafe partial class OpusEnc
{
    private const string Library = "libopusenc.so.0";

    private const int SetBitrateRequest = 4002;
    private const int SetComplexityRequest = 4010;
    private const int SetSignalRequest = 4024;
    private const int SignalVoice = 3001;
    private const int SetMuxingDelayRequest = 14002;

    [LibraryImport(Library, EntryPoint = "ope_comments_create")]
    private static partial CommentsHandle CommentsCreate();

    [LibraryImport(Library, EntryPoint = "ope_comments_destroy")]
    private static partial void CommentsDestroy(nint comments);

    [LibraryImport(Library, EntryPoint = "ope_comments_add", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int CommentsAdd(CommentsHandle comments, string tag, string value);

    [LibraryImport(Library, EntryPoint = "ope_encoder_create_pull")]
    private static partial EncoderHandle CreatePull(CommentsHandle comments, int rate, int channels, int family, int* error);

    // ope_encoder_ctl is variadic; a fixed (int request, int value) signature is what the SysV x86-64 ABI
    // passes for integer varargs (ints go in the same registers either way).
    [LibraryImport(Library, EntryPoint = "ope_encoder_ctl")]
    private static partial int Control(EncoderHandle encoder, int request, int value);

    [LibraryImport(Library, EntryPoint = "ope_encoder_write_float")]
    private static partial int WriteFloat(EncoderHandle encoder, float* pcm, int samplesPerChannel);

    [LibraryImport(Library, EntryPoint = "ope_encoder_get_page")]
    private static partial int GetPage(EncoderHandle encoder, byte** page, int* length, int flush);

    [LibraryImport(Library, EntryPoint = "ope_encoder_drain")]
    private static partial int Drain(EncoderHandle encoder);

    [LibraryImport(Library, EntryPoint = "ope_encoder_destroy")]
    private static partial void Destroy(nint encoder);

    [LibraryImport(Library, EntryPoint = "ope_strerror")]
    private static partial byte* StrError(int error);

    public sealed class CommentsHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public CommentsHandle() : base(ownsHandle: true)
        {
        }

        protected override bool ReleaseHandle()
        {
            CommentsDestroy(handle);
            return true;
        }
    }

    public sealed class EncoderHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public EncoderHandle() : base(ownsHandle: true)
        {
        }

        protected override bool ReleaseHandle()
        {
            Destroy(handle);
            return true;
        }
    }

    public static (EncoderHandle Encoder, CommentsHandle Comments) Create(
        int sampleRate, int channels, int bitrate, int complexity, int muxingDelaySamples48k, IReadOnlyDictionary<string, string> tags)
    {
        CommentsHandle comments = CommentsCreate();
        if (comments.IsInvalid)
        {
            throw new InvalidOperationException("ope_comments_create failed.");
        }
        try
        {
            Check(CommentsAdd(comments, "ENCODER", "Voxgate"), "comment ENCODER");
            foreach ((string name, string value) in tags)
            {
                Check(CommentsAdd(comments, name, value), $"comment {name}");
            }
        }
        catch
        {
            comments.Dispose();
            throw;
        }
        int error = 0;
        EncoderHandle encoder = CreatePull(comments, sampleRate, channels, 0, &error);
        if (encoder.IsInvalid || error != 0)
        {
            encoder.Dispose();
            comments.Dispose();
            throw new InvalidOperationException($"ope_encoder_create_pull failed: {Describe(error)}.");
        }
        try
        {
            Check(Control(encoder, SetBitrateRequest, bitrate), "bitrate");
            Check(Control(encoder, SetComplexityRequest, complexity), "complexity");
            Check(Control(encoder, SetSignalRequest, SignalVoice), "signal");
            Check(Control(encoder, SetMuxingDelayRequest, muxingDelaySamples48k), "muxing delay");
            return (encoder, comments);
        }
        catch
        {
            encoder.Dispose();
            comments.Dispose();
            throw;
        }
    }

    public static void Write(EncoderHandle encoder, ReadOnlySpan<float> interleaved, int channels)
    {
        fixed (float* pcm = interleaved)
        {
            Check(WriteFloat(encoder, pcm, interleaved.Length / channels), "write");
        }
    }

    public static void Drain(EncoderHandle encoder, IBufferWriter<byte> output)
    {
        Check(Drain(encoder), "drain");
        TakePages(encoder, output, flush: true);
    }

    /// <summary>Moves every complete page into <paramref name="output"/>.</summary>
    public static void TakePages(EncoderHandle encoder, IBufferWriter<byte> output, bool flush)
    {
        byte* page;
        int length;
        while (GetPage(encoder, &page, &length, flush ? 1 : 0) == 1)
        {
            output.Write(new ReadOnlySpan<byte>(page, length));
        }
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"libopusenc {what} failed: {Describe(error)}.");
        }
    }

    private static string Describe(int error) => Marshal.PtrToStringUTF8((nint)StrError(error)) ?? error.ToString(CultureInfo.InvariantCulture);
}
