using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Voxgate.Speech.Native;

/// <summary>
/// Flite 2.2 (Debian <c>libflite1</c>, BSD-style licence). Concurrent <c>flite_text_to_wave</c> calls on
/// registered voices are safe (native-stack.md §2); voice features are shared, so nothing here changes them
/// per request: speed is applied afterwards by time-stretching.
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

    [LibraryImport(Library, EntryPoint = "flite_init")]
    private static partial int NativeInit();

    [LibraryImport(Library, EntryPoint = "flite_text_to_wave")]
    private static partial WaveHandle TextToWave(byte* text, nint voice);

    [LibraryImport(Library, EntryPoint = "delete_wave")]
    private static partial void DeleteWave(nint wave);

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
                NativeInit();
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

    /// <summary>Synthesises <paramref name="text"/> (ASCII) into mono 16-bit samples at the returned rate.</summary>
    public static (short[] Samples, int SampleRate) TextToWave(string text, Voice voice)
    {
        byte[] bytes = new byte[Encoding.ASCII.GetByteCount(text) + 1];
        Encoding.ASCII.GetBytes(text, bytes);
        fixed (byte* textPtr = bytes)
        {
            using WaveHandle wave = TextToWave(textPtr, voice.Pointer);
            if (wave.IsInvalid)
            {
                throw new InvalidOperationException("flite_text_to_wave returned no audio.");
            }
            var native = (Wave*)wave.DangerousGetHandle();
            if (native->ChannelCount != 1)
            {
                throw new InvalidOperationException($"Flite returned {native->ChannelCount} channels; expected mono.");
            }
            var samples = new ReadOnlySpan<short>(native->Samples, native->SampleCount).ToArray();
            return (samples, native->SampleRate);
        }
    }

    private sealed class WaveHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public WaveHandle() : base(ownsHandle: true)
        {
        }

        protected override bool ReleaseHandle()
        {
            DeleteWave(handle);
            return true;
        }
    }
}
