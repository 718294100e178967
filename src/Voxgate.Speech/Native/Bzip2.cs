using System.Runtime.InteropServices;

namespace Voxgate.Speech.Native;

/// <summary>
/// libbz2 1.0 (Debian <c>libbz2-1.0</c>, BSD-style) for sherpa-onnx's <c>.tar.bz2</c> model archives, which .NET cannot
/// read. <see cref="DecompressingStream"/> reads concatenated bzip2 streams (as parallel compressors write them).
/// </summary>
internal static unsafe partial class Bzip2
{
    private const string Library = "libbz2.so.1.0";

    private const int Ok = 0;
    private const int StreamEnd = 4;

    /// <summary><c>bz_stream</c> as bzlib.h 1.0 declares it (80 bytes on x86-64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct BzStream
    {
        public byte* NextIn;
        public uint AvailIn;
        public uint TotalInLo32;
        public uint TotalInHi32;
        public byte* NextOut;
        public uint AvailOut;
        public uint TotalOutLo32;
        public uint TotalOutHi32;
        public nint State;
        public nint Alloc;   // null: the library's malloc
        public nint Free;    // null: the library's free
        public nint Opaque;
    }

    [LibraryImport(Library, EntryPoint = "BZ2_bzDecompressInit")]
    private static partial int DecompressInit(BzStream* stream, int verbosity, int small);

    [LibraryImport(Library, EntryPoint = "BZ2_bzDecompress")]
    private static partial int Decompress(BzStream* stream);

    [LibraryImport(Library, EntryPoint = "BZ2_bzDecompressEnd")]
    private static partial int DecompressEnd(BzStream* stream);

    /// <summary>
    /// A zeroed <see cref="BzStream"/> in native memory (the library keeps its address between calls, so it cannot
    /// live on the managed heap), and whether a decompression is open on it; releasing it ends that and frees it.
    /// </summary>
    private sealed class StreamHandle : SafeHandle
    {
        public StreamHandle() : base(0, ownsHandle: true) =>
            SetHandle((nint)NativeMemory.AllocZeroed((nuint)sizeof(BzStream)));

        public override bool IsInvalid => handle == 0;

        public BzStream* Stream => (BzStream*)handle;

        /// <summary>Between <see cref="Begin"/> and <see cref="End"/>: the library holds buffers for the stream.</summary>
        public bool Open { get; private set; }

        public void Begin()
        {
            Check(DecompressInit(Stream, 0, 0), "BZ2_bzDecompressInit");
            Open = true;
        }

        public void End()
        {
            Open = false;
            // BZ2_bzDecompressEnd fails only for a stream that is not open (BZ_PARAM_ERROR), which Open rules out; it
            // frees the library's buffers either way.
            _ = DecompressEnd(Stream);
        }

        protected override bool ReleaseHandle()
        {
            if (Open)
            {
                End();
            }
            NativeMemory.Free((void*)handle);
            return true;
        }
    }

    private static void Check(int status, string what)
    {
        if (status != Ok)
        {
            throw new InvalidDataException($"{what} failed ({status}): the data is not bzip2, or it is damaged.");
        }
    }

    /// <summary>A read-only stream of the decompressed bytes of <c>inner</c>.</summary>
    public sealed class DecompressingStream(Stream inner) : Stream
    {
        private readonly byte[] _input = new byte[128 * 1024];
        private readonly StreamHandle _state = new();
        private int _inputOffset;
        private int _inputLength;
        private bool _finished;
        private bool _disposed;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            while (!_finished && !buffer.IsEmpty)
            {
                if (_inputOffset == _inputLength)
                {
                    _inputLength = inner.Read(_input);
                    _inputOffset = 0;
                    if (_inputLength == 0)
                    {
                        if (_state.Open)
                        {
                            throw new InvalidDataException("The bzip2 data ends in the middle of a stream: the archive is cut short.");
                        }
                        _finished = true;
                        break;
                    }
                }
                if (!_state.Open)
                {
                    _state.Begin();
                }
                int produced, status;
                BzStream* stream = _state.Stream;
                fixed (byte* input = _input, output = buffer)
                {
                    stream->NextIn = input + _inputOffset;
                    stream->AvailIn = (uint)(_inputLength - _inputOffset);
                    stream->NextOut = output;
                    stream->AvailOut = (uint)buffer.Length;
                    status = Decompress(stream);
                    _inputOffset = _inputLength - (int)stream->AvailIn;
                    produced = buffer.Length - (int)stream->AvailOut;
                    // The buffers are unpinned past this block: leave the library no pointers into them.
                    stream->NextIn = null;
                    stream->NextOut = null;
                }
                if (status == StreamEnd)
                {
                    // A stream ended; another may follow (concatenated bzip2), so start over on the rest.
                    _state.End();
                }
                else
                {
                    Check(status, "BZ2_bzDecompress");
                }
                if (produced > 0)
                {
                    return produced;
                }
            }
            return 0;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            if (disposing)
            {
                _state.Dispose();
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
