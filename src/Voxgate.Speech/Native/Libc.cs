using System.Runtime.InteropServices;

namespace Voxgate.Speech.Native;

/// <summary>glibc (<c>libc.so.6</c>): malloc tuning for the native libraries that allocate per call.</summary>
internal static partial class Libc
{
    private const string Library = "libc.so.6";

    private const int TrimThreshold = -1;   // M_TRIM_THRESHOLD
    private const int MmapThreshold = -3;   // M_MMAP_THRESHOLD

    private static int s_tuned;

    [LibraryImport(Library, EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);

    /// <summary>
    /// sherpa-onnx allocates each generation's audio and its tensors anew (megabytes for a paragraph). With glibc's
    /// defaults those blocks are mmap'd and returned to the kernel on every call, so every call page-faults them in
    /// again: a third of the time of a small model's generation. Keeping blocks up to 32 MiB on the heap, and up to
    /// 64 MiB of free heap before trimming, removes that; the cost is that much memory held between calls. The .NET
    /// heap is unaffected (the GC maps its own memory). Done once, when the first neural model loads.
    /// </summary>
    public static void KeepFreedMemoryForReuse()
    {
        if (Interlocked.Exchange(ref s_tuned, 1) == 0)
        {
            // mallopt answers 0 only for a parameter or value glibc refuses; these two have been accepted since glibc 2.0,
            // and a refusal would only leave glibc's defaults (slower, never wrong), so there is nothing to act on.
            _ = MallOpt(MmapThreshold, 32 * 1024 * 1024);
            _ = MallOpt(TrimThreshold, 64 * 1024 * 1024);
        }
    }
}
