using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Voxgate.Speech.Native;

/// <summary>
/// libsoxr 0.1.3 (Debian <c>libsoxr0</c>, LGPL-2.1+): band-limited streaming resampler. Created with the default
/// I/O spec (interleaved float in and out) and the default "high quality" recipe, so no structs cross the boundary.
/// </summary>
internal static unsafe partial class Soxr
{
    private const string Library = "libsoxr.so.0";

    [LibraryImport(Library, EntryPoint = "soxr_create")]
    private static partial Handle NativeCreate(double inputRate, double outputRate, uint channels, byte** error,
        void* ioSpec, void* qualitySpec, void* runtimeSpec);

    [LibraryImport(Library, EntryPoint = "soxr_process")]
    private static partial byte* NativeProcess(Handle resampler, float* input, nuint inputFrames, nuint* inputUsed,
        float* output, nuint outputFrames, nuint* outputDone);

    [LibraryImport(Library, EntryPoint = "soxr_delete")]
    private static partial void Delete(nint resampler);

    public sealed class Handle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public Handle() : base(ownsHandle: true)
        {
        }

        protected override bool ReleaseHandle()
        {
            Delete(handle);
            return true;
        }
    }

    public static Handle Create(int inputRate, int outputRate, int channels)
    {
        byte* error = null;
        Handle handle = NativeCreate(inputRate, outputRate, (uint)channels, &error, null, null, null);
        if (error != null || handle.IsInvalid)
        {
            handle.Dispose();
            throw new InvalidOperationException($"soxr_create failed: {Marshal.PtrToStringUTF8((nint)error)}.");
        }
        return handle;
    }

    /// <summary>
    /// Feeds <paramref name="input"/> (all of it is consumed) and writes what is ready into <paramref name="output"/>.
    /// An empty input with <paramref name="endOfInput"/> drains the filter.
    /// </summary>
    /// <returns>Input samples consumed and output samples written (interleaved counts).</returns>
    public static (int Consumed, int Written) Process(Handle handle, ReadOnlySpan<float> input, bool endOfInput,
        Span<float> output, int channels)
    {
        nuint used = 0;
        nuint done = 0;
        fixed (float* inPtr = input)
        fixed (float* outPtr = output)
        {
            // A null input pointer is soxr's end-of-input signal.
            float* source = endOfInput ? null : inPtr;
            byte* error = NativeProcess(handle, source, (nuint)(input.Length / channels), &used,
                outPtr, (nuint)(output.Length / channels), &done);
            if (error != null)
            {
                throw new InvalidOperationException($"soxr_process failed: {Marshal.PtrToStringUTF8((nint)error)}.");
            }
        }
        return ((int)used * channels, (int)done * channels);
    }
}
