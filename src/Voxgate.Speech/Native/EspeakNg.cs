using System.Runtime.InteropServices;
using System.Text;

namespace Voxgate.Speech.Native;

/// <summary>
/// eSpeak NG 1.51 (Debian <c>libespeak-ng1</c>, GPL-3+, loaded at run time as an optional engine).
/// The library is one global engine per process (voice, parameters, callback, phonemizer state): unlocked concurrent
/// calls corrupt the heap (<c>EngineTests.EspeakIsSafeUnderConcurrentRequests</c> is the check). So the binding owns the lock: every call is a method of a
/// <see cref="Session"/>, which holds it from <see cref="Session.Enter"/> until it is disposed, and no caller takes a lock of
/// its own.
/// </summary>
internal static unsafe partial class EspeakNg
{
    private const string Library = "libespeak-ng.so.1";

    private const int AudioOutputSynchronous = 2;
    private const int InitializeDontExit = 0x8000;
    private const uint CharsUtf8 = 1;
    private const uint EndPause = 0x1000;
    private const uint Phonemes = 0x100; // text within [[ ]] is phoneme mnemonics
    private const int PositionCharacter = 1;
    private const int ParameterRate = 1;
    private const int ParameterVolume = 2;
    private const int ParameterPitch = 3;
    private const int EventListTerminated = 0;
    private const int EventWord = 1;

    public const int RateMinimum = 80;
    public const int RateMaximum = 450;
    public const int RateNormal = 175;

    /// <summary>The one lock that serialises every call into the library; only <see cref="Session"/> takes and releases it.</summary>
    private static readonly SemaphoreSlim s_gate = new(1, 1);

    /// <summary>The output rate, once the library is initialised (under <see cref="s_gate"/>); 0 before.</summary>
    private static int s_sampleRate;

    private const int PhonemesIpa = 0x02; // espeakPHONEMES_IPA

    [StructLayout(LayoutKind.Sequential)]
    private struct Event // 40 bytes
    {
        public int Type;
        public uint UniqueIdentifier;
        public int TextPosition;   // 1-based, in characters, from the start of the text
        public int Length;         // word length in characters
        public int AudioPosition;  // milliseconds from the start of the synthesis call
        public int Sample;
        public nint UserData;
        public long Id;            // union { int number; const char* name; char string[8]; }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Voice // 40 bytes
    {
        public byte* Name;
        public byte* Languages;    // (priority byte, NUL-terminated name)*, then a final NUL
        public byte* Identifier;
        public byte Gender;        // 0 none, 1 male, 2 female
        public byte Age;
        public byte Variant;
        public byte Reserved;
        public int Score;
        public nint Spare;
    }

    [LibraryImport(Library, EntryPoint = "espeak_Initialize")]
    private static partial int NativeInitialize(int output, int bufferLengthMs, byte* path, int options);

    [LibraryImport(Library, EntryPoint = "espeak_SetSynthCallback")]
    private static partial void SetSynthCallback(delegate* unmanaged<short*, int, Event*, int> callback);

    [LibraryImport(Library, EntryPoint = "espeak_SetVoiceByName")]
    private static partial int SetVoiceByName(byte* name);

    [LibraryImport(Library, EntryPoint = "espeak_SetVoiceByProperties")]
    private static partial int SetVoiceByProperties(Voice* spec);

    [LibraryImport(Library, EntryPoint = "espeak_SetParameter")]
    private static partial int SetParameter(int parameter, int value, int relative);

    [LibraryImport(Library, EntryPoint = "espeak_Synth")]
    private static partial int Synth(byte* text, nuint size, uint position, int positionType, uint endPosition,
        uint flags, uint* uniqueIdentifier, void* userData);

    [LibraryImport(Library, EntryPoint = "espeak_TextToPhonemes")]
    private static partial byte* NativeTextToPhonemes(void** textPointer, int textMode, int phonemeMode);

    [LibraryImport(Library, EntryPoint = "espeak_ListVoices")]
    private static partial Voice** NativeListVoices(Voice* spec);

    [LibraryImport(Library, EntryPoint = "espeak_Info")]
    private static partial byte* NativeInfo(byte** pathData);

    /// <summary>A voice as the library lists it.</summary>
    public sealed record VoiceEntry(string Name, string Identifier, IReadOnlyList<string> Languages, int Gender);

    /// <summary>One synthesis call's result: 16-bit samples at <see cref="Initialize"/>'s rate and word events.</summary>
    public sealed record SynthesisResult(short[] Samples, IReadOnlyList<WordEvent> Words);

    /// <param name="TextIndex">UTF-16 index of the word in the synthesised text.</param>
    public readonly record struct WordEvent(int TextIndex, int Length, int AudioMs);

    /// <summary>Initialises the library in synchronous mode; returns the output sample rate.</summary>
    private static int Initialize()
    {
        // DONT_EXIT: without it the library calls exit() when its data directory is missing.
        int rate = NativeInitialize(AudioOutputSynchronous, 0, null, InitializeDontExit);
        if (rate <= 0)
        {
            throw new InvalidOperationException($"espeak_Initialize failed ({rate}); is espeak-ng-data installed?");
        }
        SetSynthCallback(&OnSynth);
        return rate;
    }

    private static string Version()
    {
        byte* dataPath = null;
        return Marshal.PtrToStringUTF8((nint)NativeInfo(&dataPath)) ?? "unknown";
    }

    private static List<VoiceEntry> ListVoices()
    {
        var result = new List<VoiceEntry>();
        Voice** list = NativeListVoices(null);
        for (Voice** entry = list; entry != null && *entry != null; entry++)
        {
            Voice* v = *entry;
            result.Add(new VoiceEntry(
                Marshal.PtrToStringUTF8((nint)v->Name) ?? "",
                Marshal.PtrToStringUTF8((nint)v->Identifier) ?? "",
                ReadLanguages(v->Languages),
                v->Gender));
        }
        return result;
    }

    private static List<string> ReadLanguages(byte* languages)
    {
        var result = new List<string>();
        if (languages == null)
        {
            return result;
        }
        byte* p = languages;
        while (*p != 0)
        {
            p++; // the priority byte
            ReadOnlySpan<byte> name = MemoryMarshal.CreateReadOnlySpanFromNullTerminated(p);
            result.Add(Encoding.UTF8.GetString(name));
            p += name.Length + 1;
        }
        return result;
    }

    /// <summary>Selects a voice by its name, falling back to selection by language the way the CLI does.</summary>
    private static bool SelectVoice(string name, string language)
    {
        byte[] nameBytes = NulTerminated(name);
        fixed (byte* namePtr = nameBytes)
        {
            if (SetVoiceByName(namePtr) == 0)
            {
                return true;
            }
        }
        // 1.51 does not find "en-gb" by name; selecting by properties does.
        byte[] languageBytes = NulTerminated(language);
        fixed (byte* languagePtr = languageBytes)
        {
            Voice spec = default;
            spec.Languages = languagePtr;
            return SetVoiceByProperties(&spec) == 0;
        }
    }

    /// <param name="rateWordsPerMinute">80..450; 175 is normal.</param>
    /// <param name="volume">0..200; 100 is normal.</param>
    /// <param name="pitch">0..100; 50 is normal.</param>
    private static void SetProsody(int rateWordsPerMinute, int volume, int pitch)
    {
        CheckParameter(ParameterRate, Math.Clamp(rateWordsPerMinute, RateMinimum, RateMaximum));
        CheckParameter(ParameterVolume, volume);
        CheckParameter(ParameterPitch, pitch);
    }

    private static void CheckParameter(int parameter, int value)
    {
        // EE_OK is 0; in synchronous mode the value applies at once, so any other answer means it did not.
        int status = SetParameter(parameter, value, 0);
        if (status != 0)
        {
            throw new InvalidOperationException($"espeak_SetParameter({parameter}, {value}) failed ({status}).");
        }
    }

    /// <summary>
    /// The selected voice's phonemes for <paramref name="text"/>: eSpeak's mnemonics (what <c>[[ ]]</c> markup takes), or
    /// IPA (<paramref name="ipa"/>, as Piper and Kokoro front ends read it).
    /// </summary>
    private static string TextToPhonemes(string text, bool ipa = false)
    {
        byte[] utf8 = NulTerminated(text);
        var phonemes = new StringBuilder();
        fixed (byte* start = utf8)
        {
            void* position = start;
            while (position != null)
            {
                byte* clause = NativeTextToPhonemes(&position, (int)CharsUtf8, ipa ? PhonemesIpa : 0);
                if (clause != null)
                {
                    phonemes.Append(phonemes.Length > 0 ? " " : "").Append(Marshal.PtrToStringUTF8((nint)clause));
                }
            }
        }
        return phonemes.ToString();
    }

    /// <summary>
    /// Synthesises <paramref name="text"/> with the selected voice: plain text, never SSML; <c>[[...]]</c> is phoneme
    /// markup (callers clean "[[" out of users' text, so only the pronunciation dictionary puts it there).
    /// </summary>
    /// <param name="onChunk">
    /// When given, receives each buffer of samples as eSpeak produces it (about 60 ms of audio) with the words that
    /// start in it, instead of the result gathering them; it answers false to stop the synthesis.
    /// </param>
    private static SynthesisResult Synthesize(string text, CancellationToken cancellation,
        Func<ReadOnlySpan<short>, IReadOnlyList<WordEvent>, bool>? onChunk = null)
    {
        byte[] utf8 = NulTerminated(text);
        var sink = new Sink(text, onChunk, cancellation);
        s_current = sink;
        try
        {
            fixed (byte* textPtr = utf8)
            {
                uint id = 0;
                int error = Synth(textPtr, (nuint)utf8.Length, 0, PositionCharacter, 0, CharsUtf8 | EndPause | Phonemes, &id, null);
                if (error != 0 && !cancellation.IsCancellationRequested)
                {
                    throw new InvalidOperationException($"espeak_Synth failed with error {error}.");
                }
            }
        }
        finally
        {
            s_current = null;
        }
        cancellation.ThrowIfCancellationRequested();
        if (sink.Failure is not null)
        {
            throw new InvalidOperationException("The eSpeak NG callback failed.", sink.Failure);
        }
        return new SynthesisResult(sink.Samples.ToArray(), sink.Words);
    }

    private static byte[] NulTerminated(string text)
    {
        byte[] bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    // The library has exactly one callback and, under s_gate, one caller at a time; this is its target.
    private static Sink? s_current;

    [UnmanagedCallersOnly]
    private static int OnSynth(short* samples, int count, Event* events)
    {
        Sink? sink = s_current;
        if (sink is null)
        {
            return 1; // abort: nobody is listening
        }
        try
        {
            int wordsBefore = sink.Words.Count;
            for (Event* e = events; e != null && e->Type != EventListTerminated; e++)
            {
                if (e->Type == EventWord && e->Length > 0) // a zero-length word event marks the end of the clause
                {
                    sink.AddWord(e->TextPosition, e->Length, e->AudioPosition);
                }
            }
            var audio = samples != null && count > 0 ? new ReadOnlySpan<short>(samples, count) : [];
            if (sink.OnChunk is null)
            {
                sink.Samples.AddRange(audio);
            }
            else if ((audio.Length > 0 || sink.Words.Count > wordsBefore)
                && !sink.OnChunk(audio, sink.Words.GetRange(wordsBefore, sink.Words.Count - wordsBefore)))
            {
                return 1;
            }
        }
        catch (Exception ex)
        {
            // An exception must not unwind through eSpeak's frames; stop the synthesis and report it after.
            sink.Failure = ex;
            return 1;
        }
        return sink.Cancellation.IsCancellationRequested ? 1 : 0;
    }

    private sealed class Sink(string text, Func<ReadOnlySpan<short>, IReadOnlyList<WordEvent>, bool>? onChunk, CancellationToken cancellation)
    {
        public Func<ReadOnlySpan<short>, IReadOnlyList<WordEvent>, bool>? OnChunk => onChunk;

        private readonly int[] _codePointToUtf16 = CodePointIndex(text);

        public List<short> Samples { get; } = new(16384);
        public List<WordEvent> Words { get; } = [];
        public CancellationToken Cancellation => cancellation;
        public Exception? Failure { get; set; }

        public void AddWord(int codePointPosition, int codePointLength, int audioMs)
        {
            // eSpeak counts 1-based code points; callers index strings in UTF-16 units.
            int start = Math.Clamp(codePointPosition - 1, 0, _codePointToUtf16.Length - 1);
            int end = Math.Clamp(codePointPosition - 1 + codePointLength, 0, _codePointToUtf16.Length - 1);
            Words.Add(new WordEvent(_codePointToUtf16[start], _codePointToUtf16[end] - _codePointToUtf16[start], audioMs));
        }

        private static int[] CodePointIndex(string text)
        {
            var index = new List<int>(text.Length + 1);
            for (int i = 0; i < text.Length; i += char.IsSurrogatePair(text, i) ? 2 : 1)
            {
                index.Add(i);
            }
            index.Add(text.Length);
            return [.. index];
        }
    }
}

// The session holds no pointers, and its EnterAsync awaits, which an unsafe context may not.
internal static partial class EspeakNg
{
    /// <summary>
    /// Sole access to the library: holds its lock from <see cref="Enter"/>/<see cref="EnterAsync"/> until disposed, and
    /// initialises it (synchronous mode) the first time. Use it on one thread at a time and dispose it promptly:
    /// every other eSpeak call in the process waits for it.
    /// </summary>
    public sealed class Session : IDisposable
    {
        private bool _disposed;

        private Session()
        {
        }

        /// <summary>Waits for the library, then holds it.</summary>
        public static Session Enter()
        {
            s_gate.Wait();
            return Opened();
        }

        /// <inheritdoc cref="Enter"/>
        public static async Task<Session> EnterAsync(CancellationToken cancellationToken)
        {
            await s_gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            return Opened();
        }

        private static Session Opened()
        {
            try
            {
                if (s_sampleRate == 0)
                {
                    s_sampleRate = Initialize();
                }
                return new Session();
            }
            catch
            {
                s_gate.Release();
                throw;
            }
        }

        /// <summary>The rate of every synthesis's samples.</summary>
        public int SampleRate => Held(() => s_sampleRate);

        public string Version() => Held(EspeakNg.Version);

        public List<VoiceEntry> ListVoices() => Held(EspeakNg.ListVoices);

        /// <inheritdoc cref="EspeakNg.SelectVoice"/>
        public bool SelectVoice(string name, string language) => Held(() => EspeakNg.SelectVoice(name, language));

        /// <inheritdoc cref="EspeakNg.SetProsody"/>
        public void SetProsody(int rateWordsPerMinute, int volume, int pitch) =>
            Held(() => EspeakNg.SetProsody(rateWordsPerMinute, volume, pitch));

        /// <inheritdoc cref="EspeakNg.TextToPhonemes"/>
        public string TextToPhonemes(string text, bool ipa = false) => Held(() => EspeakNg.TextToPhonemes(text, ipa));

        /// <inheritdoc cref="EspeakNg.Synthesize"/>
        public SynthesisResult Synthesize(string text, CancellationToken cancellation,
            Func<ReadOnlySpan<short>, IReadOnlyList<WordEvent>, bool>? onChunk = null) =>
            Held(() => EspeakNg.Synthesize(text, cancellation, onChunk));

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                s_gate.Release();
            }
        }

        /// <summary>Runs a library call only while this session still holds the lock.</summary>
        private T Held<T>(Func<T> call)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return call();
        }

        private void Held(Action call) => Held(() =>
        {
            call();
            return true;
        });
    }
}
