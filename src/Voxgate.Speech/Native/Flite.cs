using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Voxgate.Speech.Native;

/// <summary>
/// Flite 2.2 (Debian <c>libflite1</c>, BSD-style licence). Concurrent syntheses on registered voices are safe
/// (each call makes its own utterance; <c>EngineTests</c> runs them in parallel); voice features are shared, so nothing here changes them per request (speed is applied
/// afterwards by time-stretching, streaming is set on each utterance).
/// </summary>
internal static unsafe partial class Flite
{
    private const string Library = "libflite.so.1";

    [StructLayout(LayoutKind.Sequential)]
    private struct Wave
    {
        public byte* Type;
        public int SampleRate;
        public int SampleCount;
        public int ChannelCount;
        public short* Samples;
    }

    /// <summary><c>cst_audio_streaming_info</c> (cst_audio.h, Flite 2.1 and later).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct StreamingInfo
    {
        public int MinimumFrames;
        public delegate* unmanaged<Wave*, int, int, int, StreamingInfo*, int> Callback;
        public nint Utterance;
        public nint Item;
        public nint UserData;
    }

    private const int StreamContinue = 0;
    private const int StreamStop = -1;

    [LibraryImport(Library, EntryPoint = "flite_init")]
    private static partial int NativeInit();

    [LibraryImport(Library, EntryPoint = "new_utterance")]
    private static partial UtteranceHandle NewUtterance();

    [LibraryImport(Library, EntryPoint = "delete_utterance")]
    private static partial void DeleteUtterance(nint utterance);

    [LibraryImport(Library, EntryPoint = "utt_set_input_text")]
    private static partial void SetInputText(UtteranceHandle utterance, byte* text);

    [LibraryImport(Library, EntryPoint = "utt_init")]
    private static partial nint InitUtterance(UtteranceHandle utterance, nint voice);

    [LibraryImport(Library, EntryPoint = "utt_synth")]
    private static partial nint SynthesizeUtterance(UtteranceHandle utterance);

    [LibraryImport(Library, EntryPoint = "utt_wave")]
    private static partial Wave* UtteranceWave(UtteranceHandle utterance);

    [LibraryImport(Library, EntryPoint = "feat_set")]
    private static partial void SetFeature(nint features, byte* name, nint value);

    [LibraryImport(Library, EntryPoint = "new_audio_streaming_info")]
    private static partial StreamingInfo* NewStreamingInfo();

    [LibraryImport(Library, EntryPoint = "audio_streaming_info_val")]
    private static partial nint StreamingInfoValue(StreamingInfo* info);

    [LibraryImport(Library, EntryPoint = "utt_relation")]
    private static partial nint UtteranceRelation(UtteranceHandle utterance, byte* name);

    [LibraryImport(Library, EntryPoint = "relation_head")]
    private static partial nint RelationHead(nint relation);

    [LibraryImport(Library, EntryPoint = "item_next")]
    private static partial nint ItemNext(nint item);

    [LibraryImport(Library, EntryPoint = "item_feat_string")]
    private static partial byte* ItemFeatureString(nint item, byte* name);

    private static readonly Lock s_initLock = new();
    private static bool s_initialised;

    /// <summary>A registered voice. Registered voices live as long as the process, so no handle frees them.</summary>
    public readonly record struct Voice(string Name, nint Pointer);

    /// <summary>Loads <c>libflite_cmu_us_{name}.so.1</c> and registers its voice.</summary>
    public static Voice RegisterVoice(string name)
    {
        lock (s_initLock)
        {
            if (!s_initialised)
            {
                int status = NativeInit();
                if (status != 0)
                {
                    throw new InvalidOperationException($"flite_init failed ({status}).");
                }
                s_initialised = true;
            }
            nint library = NativeLibrary.Load($"libflite_cmu_us_{name}.so.1");
            var register = (delegate* unmanaged<byte*, nint>)NativeLibrary.GetExport(library, $"register_cmu_us_{name}");
            nint voice = register(null);
            if (voice == 0)
            {
                throw new InvalidOperationException($"register_cmu_us_{name} returned no voice.");
            }
            return new Voice(name, voice);
        }
    }

    /// <summary>
    /// Synthesises <paramref name="text"/> (ASCII) into mono 16-bit samples, handing them to <paramref name="sink"/>
    /// while the voice computes them, at least <paramref name="chunkFrames"/> at a time (the last piece may be
    /// shorter): Flite's audio streaming, which every voice here supports (the clustergen voices from their vocoder,
    /// the diphone voices from their LPC resynthesis; the pieces are exactly the samples of the whole wave). A huge
    /// <paramref name="chunkFrames"/> gives the whole segment in one piece. The sink answers false to stop the voice.
    /// The streaming settings go on the utterance, never on the shared voice, so concurrent calls stay independent.
    /// </summary>
    /// <param name="sink">Samples and their sample rate; the span is valid only during the call.</param>
    public static void Synthesize(string text, Voice voice, int chunkFrames, Func<ReadOnlySpan<short>, int, bool> sink)
    {
        byte[] bytes = new byte[Encoding.ASCII.GetByteCount(text) + 1];
        Encoding.ASCII.GetBytes(text, bytes);
        var state = new StreamState(sink);
        GCHandle handle = GCHandle.Alloc(state);
        try
        {
            using UtteranceHandle utterance = NewUtterance();
            fixed (byte* textPtr = bytes)
            {
                SetInputText(utterance, textPtr); // copied into the utterance's features
            }
            _ = InitUtterance(utterance, voice.Pointer); // utt_init answers the utterance it was given, nothing to check
            StreamingInfo* info = NewStreamingInfo();
            info->MinimumFrames = chunkFrames;
            info->Callback = &OnAudio;
            info->UserData = GCHandle.ToIntPtr(handle);
            nint features = *(nint*)utterance.DangerousGetHandle(); // cst_utterance's first field
            // feat_set keeps the name's pointer, not a copy: a u8 literal's bytes (NUL-terminated) live in the
            // assembly's data for the life of the process, so the pointer outlives the utterance.
            fixed (byte* name = "streaming_info"u8)
            {
                SetFeature(features, name, StreamingInfoValue(info)); // the utterance owns and frees it from here on
            }
            nint synthesized = SynthesizeUtterance(utterance);
            if (state.Failure is not null)
            {
                throw new InvalidOperationException("Flite's audio callback failed.", state.Failure);
            }
            if (state.Stopped)
            {
                return;
            }
            Wave* wave = synthesized == 0 ? null : UtteranceWave(utterance);
            if (wave is null)
            {
                throw new InvalidOperationException("Flite produced no audio.");
            }
            if (wave->ChannelCount != 1)
            {
                throw new InvalidOperationException($"Flite returned {wave->ChannelCount} channels; expected mono.");
            }
            // Whatever the voice did not stream (nothing, with the voices here) goes now.
            if (wave->SampleCount > state.Delivered)
            {
                sink(new ReadOnlySpan<short>(wave->Samples + state.Delivered, wave->SampleCount - state.Delivered), wave->SampleRate);
            }
        }
        finally
        {
            handle.Free();
        }
    }

    /// <summary>
    /// The phones <paramref name="voice"/> says for <paramref name="text"/> (ASCII), in order, pauses left out: the
    /// names of the utterance's Segment relation (CMU's phone set: "hh ax l ow"). The utterance is synthesised whole
    /// (Flite has no public step that stops at the segments), then freed with its items.
    /// </summary>
    public static List<string> Phones(string text, Voice voice)
    {
        byte[] bytes = new byte[Encoding.ASCII.GetByteCount(text) + 1];
        Encoding.ASCII.GetBytes(text, bytes);
        var phones = new List<string>();
        using UtteranceHandle utterance = NewUtterance();
        fixed (byte* textPtr = bytes)
        {
            SetInputText(utterance, textPtr);
        }
        InitUtterance(utterance, voice.Pointer);
        if (SynthesizeUtterance(utterance) == 0)
        {
            throw new InvalidOperationException("Flite could not synthesise the text.");
        }
        fixed (byte* relationName = "Segment"u8)
        fixed (byte* featureName = "name"u8)
        {
            for (nint item = RelationHead(UtteranceRelation(utterance, relationName)); item != 0; item = ItemNext(item))
            {
                string? phone = Marshal.PtrToStringUTF8((nint)ItemFeatureString(item, featureName));
                if (phone is not null and not "pau")
                {
                    phones.Add(phone);
                }
            }
        }
        return phones;
    }

    private sealed class StreamState(Func<ReadOnlySpan<short>, int, bool> sink)
    {
        public Func<ReadOnlySpan<short>, int, bool> Sink => sink;
        public int Delivered { get; set; }
        public bool Stopped { get; set; }
        public Exception? Failure { get; set; }
    }

    [UnmanagedCallersOnly]
    private static int OnAudio(Wave* wave, int start, int count, int last, StreamingInfo* info)
    {
        var state = (StreamState)GCHandle.FromIntPtr(info->UserData).Target!;
        try
        {
            if (count > 0)
            {
                if (wave->ChannelCount != 1 || start != state.Delivered)
                {
                    throw new InvalidOperationException($"Flite streamed {wave->ChannelCount} channels from frame {start}; expected mono from {state.Delivered}.");
                }
                state.Delivered += count;
                if (!state.Sink(new ReadOnlySpan<short>(wave->Samples + start, count), wave->SampleRate))
                {
                    state.Stopped = true;
                    return StreamStop;
                }
            }
            return StreamContinue;
        }
        catch (Exception ex)
        {
            // An exception must not unwind through Flite's frames; stop the voice and report it after.
            state.Failure = ex;
            state.Stopped = true;
            return StreamStop;
        }
    }

    private sealed class UtteranceHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public UtteranceHandle() : base(ownsHandle: true)
        {
        }

        protected override bool ReleaseHandle()
        {
            DeleteUtterance(handle);
            return true;
        }
    }
}
