using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Voxgate.Speech.Native;

/// <summary>
/// SoundTouch 2.3.2 through its C API (<c>libSoundTouchDll.so.1</c> in Debian <c>libsoundtouch1</c>, LGPL-2.1+).
/// Debian builds it with float samples. One instance per stream.
/// </summary>
internal static unsafe partial class SoundTouch
{
    private const string Library = "libSoundTouchDll.so.1";

    private const int SettingSequenceMs = 3;
    private const int SettingSeekWindowMs = 4;
    private const int SettingOverlapMs = 5;

    [LibraryImport(Library, EntryPoint = "soundtouch_createInstance")]
    private static partial Handle CreateInstance();

    [LibraryImport(Library, EntryPoint = "soundtouch_destroyInstance")]
    private static partial void DestroyInstance(nint handle);

    [LibraryImport(Library, EntryPoint = "soundtouch_setTempo")]
    private static partial void SetTempo(Handle handle, float tempo);

    [LibraryImport(Library, EntryPoint = "soundtouch_setPitchSemiTones")]
    private static partial void SetPitchSemiTones(Handle handle, float semitones);

    [LibraryImport(Library, EntryPoint = "soundtouch_setChannels")]
    private static partial int SetChannels(Handle handle, uint channels);

    [LibraryImport(Library, EntryPoint = "soundtouch_setSampleRate")]
    private static partial int SetSampleRate(Handle handle, uint rate);

    [LibraryImport(Library, EntryPoint = "soundtouch_setSetting")]
    private static partial int SetSetting(Handle handle, int setting, int value);

    [LibraryImport(Library, EntryPoint = "soundtouch_putSamples")]
    private static partial int PutSamples(Handle handle, float* samples, uint frames);

    [LibraryImport(Library, EntryPoint = "soundtouch_receiveSamples")]
    private static partial uint ReceiveSamples(Handle handle, float* output, uint maxFrames);

    [LibraryImport(Library, EntryPoint = "soundtouch_flush")]
    private static partial int NativeFlush(Handle handle);

    public sealed class Handle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public Handle() : base(ownsHandle: true)
        {
        }

        protected override bool ReleaseHandle()
        {
            DestroyInstance(handle);
            return true;
        }
    }

    /// <summary>Creates a processor tuned for speech (the window sizes of <c>soundstretch -speech</c>).</summary>
    public static Handle Create(int sampleRate, int channels, double tempo, double pitchSemitones)
    {
        Handle handle = CreateInstance();
        if (handle.IsInvalid)
        {
            throw new InvalidOperationException("soundtouch_createInstance failed.");
        }
        try
        {
            // The C API answers 0 where the C++ library threw (a channel count it refuses, a setting it does not know).
            Check(SetSampleRate(handle, (uint)sampleRate), "setSampleRate");
            Check(SetChannels(handle, (uint)channels), "setChannels");
            SetTempo(handle, (float)tempo);
            SetPitchSemiTones(handle, (float)pitchSemitones);
            Check(SetSetting(handle, SettingSequenceMs, 40), "setSetting(SEQUENCE_MS)");
            Check(SetSetting(handle, SettingSeekWindowMs, 15), "setSetting(SEEKWINDOW_MS)");
            Check(SetSetting(handle, SettingOverlapMs, 8), "setSetting(OVERLAP_MS)");
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public static void Put(Handle handle, ReadOnlySpan<float> interleaved, int channels)
    {
        fixed (float* samples = interleaved)
        {
            Check(PutSamples(handle, samples, (uint)(interleaved.Length / channels)), "putSamples");
        }
    }

    /// <summary>Receives up to <paramref name="output"/>'s length of interleaved samples; returns how many.</summary>
    public static int Receive(Handle handle, Span<float> output, int channels)
    {
        fixed (float* samples = output)
        {
            return (int)ReceiveSamples(handle, samples, (uint)(output.Length / channels)) * channels;
        }
    }

    /// <summary>Pushes the last samples through (SoundTouch pads them with silence).</summary>
    public static void Flush(Handle handle) => Check(NativeFlush(handle), "flush");

    private static void Check(int succeeded, string what)
    {
        if (succeeded == 0)
        {
            throw new InvalidOperationException($"soundtouch_{what} failed.");
        }
    }
}
