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
    private const int StreamSize = 80;          // sizeof(bz_stream) on x86-64
    private const int NextInOffset = 0;
    private const int AvailInOffset = 8;
    private const int NextOutOffset = 24;
    private const int AvailOutOffset = 32;

    [LibraryImport(Library, EntryPoint = "BZ2_bzDecompressInit")]
    private static partial int DecompressInit(void* stream, int verbosity, int small);

    [LibraryImport(Library, EntryPoint = "BZ2_bzDecompress")]
    private static partial int Decompress(void* stream);

    [LibraryImport(Library, EntryPoint = "BZ2_bzDecompressEnd")]
    private static partial int DecompressEnd(void* stream);

    /// <summary>A read-only stream of the decompressed bytes of <c>inner</c>.</summary>
    public sealed class DecompressingStream(Stream inner) : Stream
    {
        private readonly byte[] _input = new byte[128 * 1024];
        private readonly byte* _state = (byte*)NativeMemory.AllocZeroed(StreamSize); // the library keeps its address
        private int _inputOffset;
        private int _inputLength;
        private bool _initialised;
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
            while (!_finished && !buffer.IsEmpty)
            {
                if (_inputOffset == _inputLength)
                {
                    _inputLength = inner.Read(_input);
                    _inputOffset = 0;
                    if (_inputLength == 0)
                    {
                        if (_initialised)
                        {
                            throw new InvalidDataException("The bzip2 data ends in the middle of a stream: the archive is cut short.");
                        }
                        _finished = true;
                        break;
                    }
                }
                if (!_initialised)
                {
                    Check(DecompressInit(_state, 0, 0), "BZ2_bzDecompressInit");
                    _initialised = true;
                }
                int produced, status;
                fixed (byte* input = _input, output = buffer)
                {
                    *(byte**)(_state + NextInOffset) = input + _inputOffset;
                    *(uint*)(_state + AvailInOffset) = (uint)(_inputLength - _inputOffset);
                    *(byte**)(_state + NextOutOffset) = output;
                    *(uint*)(_state + AvailOutOffset) = (uint)buffer.Length;
                    status = Decompress(_state);
                    _inputOffset = _inputLength - (int)*(uint*)(_state + AvailInOffset);
                    produced = buffer.Length - (int)*(uint*)(_state + AvailOutOffset);
                }
                if (status == StreamEnd)
                {
                    // A stream ended; another may follow (concatenated bzip2), so start over on the rest.
                    DecompressEnd(_state);
                    _initialised = false;
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
            if (_initialised)
            {
                DecompressEnd(_state);
                _initialised = false;
            }
            NativeMemory.Free(_state);
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }

        private static void Check(int status, string what)
        {
            if (status != Ok)
            {
                throw new InvalidDataException($"{what} failed ({status}): the data is not bzip2, or it is damaged.");
            }
        }
    }
}
