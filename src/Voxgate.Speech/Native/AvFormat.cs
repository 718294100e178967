using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Voxgate.Speech.Native;

/// <summary>
/// FFmpeg 5.1's demuxers (Debian <c>libavformat59</c>), for reading uploaded recordings whose container must be
/// unpacked before decoding (m4a, and wav or mp3 by the same path): open a file, pick its audio stream, hand out its
/// packets to the <see cref="AvCodec"/> decoder. A file is probed by its contents only (the caller names it without
/// an extension), so a text file called <c>voice.mp3</c> is not taken for mp3. The few struct fields read here
/// (<c>AVFormatContext.iformat</c>, <c>.streams</c>, <c>AVStream.codecpar</c>, <c>AVInputFormat.name</c>) are at the
/// offsets of this soname, checked with <c>offsetof</c> against the 5.1.9 headers; other majors are refused.
/// </summary>
internal static unsafe partial class AvFormat
{
    private const string FormatLibrary = "libavformat.so.59";
    private const int ExpectedFormatMajor = 59;

    private const int ContextInputFormatOffset = 8;     // AVFormatContext.iformat
    private const int ContextStreamCountOffset = 44;    // AVFormatContext.nb_streams
    private const int ContextStreamsOffset = 48;        // AVFormatContext.streams
    private const int StreamCodecParametersOffset = 208; // AVStream.codecpar
    private const int InputFormatNameOffset = 0;        // AVInputFormat.name
    private const int MediaTypeAudio = 1;               // AVMEDIA_TYPE_AUDIO

    [LibraryImport(FormatLibrary, EntryPoint = "avformat_version")]
    private static partial uint FormatVersion();

    [LibraryImport(FormatLibrary, EntryPoint = "avformat_open_input", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenInput(nint* context, string url, nint format, nint options);

    [LibraryImport(FormatLibrary, EntryPoint = "avformat_find_stream_info")]
    private static partial int FindStreamInfo(FormatHandle context, nint options);

    [LibraryImport(FormatLibrary, EntryPoint = "av_find_best_stream")]
    private static partial int FindBestStream(FormatHandle context, int type, int wanted, int related, nint* decoder, int flags);

    [LibraryImport(FormatLibrary, EntryPoint = "av_read_frame")]
    private static partial int ReadFrame(FormatHandle context, AvCodec.PacketHandle packet);

    [LibraryImport(FormatLibrary, EntryPoint = "avformat_close_input")]
    private static partial void CloseInput(nint* context);

    /// <summary>An opened input (<c>avformat_close_input(&amp;ctx)</c> frees it).</summary>
    public sealed class FormatHandle() : SafeHandleZeroOrMinusOneIsInvalid(ownsHandle: true)
    {
        internal void Set(nint pointer) => SetHandle(pointer);

        protected override bool ReleaseHandle()
        {
            nint pointer = handle;
            CloseInput(&pointer);
            return true;
        }
    }

    /// <summary>Opens and probes a file.</summary>
    /// <exception cref="InvalidDataException">No demuxer recognises it.</exception>
    public static FormatHandle Open(string path)
    {
        uint major = FormatVersion() >> 16;
        if (major != ExpectedFormatMajor)
        {
            throw new NotSupportedException($"libavformat {major} is not the ABI this binding was checked against ({ExpectedFormatMajor}).");
        }
        nint context = 0;
        int status = OpenInput(&context, path, 0, 0);
        if (status < 0 || context == 0)
        {
            throw new InvalidDataException("it is not a recognisable audio file");
        }
        var handle = new FormatHandle();
        handle.Set(context);
        if (FindStreamInfo(handle, 0) < 0)
        {
            handle.Dispose();
            throw new InvalidDataException("its streams cannot be read");
        }
        return handle;
    }

    /// <summary>The demuxer's name (<c>wav</c>, <c>mp3</c>, <c>mov,mp4,m4a,3gp,3g2,mj2</c>, ...).</summary>
    public static string FormatName(FormatHandle context)
    {
        nint format = *(nint*)(context.DangerousGetHandle() + ContextInputFormatOffset);
        return format == 0 ? "" : Marshal.PtrToStringUTF8(*(nint*)(format + InputFormatNameOffset)) ?? "";
    }

    /// <summary>The best audio stream: its index, its decoder (<c>AVCodec*</c>) and its parameters (<c>AVCodecParameters*</c>).</summary>
    /// <exception cref="InvalidDataException">No audio stream, or none this libavcodec decodes.</exception>
    public static (int Index, nint Codec, nint Parameters) BestAudioStream(FormatHandle context)
    {
        nint decoder = 0;
        int index = FindBestStream(context, MediaTypeAudio, -1, -1, &decoder, 0);
        nint c = context.DangerousGetHandle();
        if (index < 0 || decoder == 0 || index >= *(uint*)(c + ContextStreamCountOffset))
        {
            throw new InvalidDataException("it holds no audio stream that can be decoded");
        }
        nint stream = (*(nint**)(c + ContextStreamsOffset))[index];
        return (index, decoder, *(nint*)(stream + StreamCodecParametersOffset));
    }

    /// <summary>Reads the next packet (of any stream) into <paramref name="packet"/>; false at the end of the file.</summary>
    public static bool ReadPacket(FormatHandle context, AvCodec.PacketHandle packet) => ReadFrame(context, packet) >= 0;
}
