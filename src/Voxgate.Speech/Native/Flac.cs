using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Voxgate.Speech.Encoders;

namespace Voxgate.Speech.Native;

/// <summary>
/// libFLAC 1.4.2 stream encoder (Debian <c>libflac12</c>, BSD-3). Output goes through write/seek/tell callbacks:
/// writes after a seek (libFLAC rewriting STREAMINFO at the end) become header patches, so a streamed body stays
/// valid and a stored file gets its totals and MD5.
/// </summary>
internal static unsafe partial class Flac
{
    private const string Library = "libFLAC.so.12";

    private const int WriteStatusOk = 0;
    private const int WriteStatusFatal = 1;
    private const int SeekStatusOk = 0;
    private const int SeekStatusError = 1;
    private const int TellStatusOk = 0;
    private const int TellStatusError = 1;

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_new")]
    private static partial EncoderHandle New();

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_delete")]
    private static partial void Delete(nint encoder);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_set_channels")]
    private static partial int SetChannels(EncoderHandle encoder, uint channels);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_set_bits_per_sample")]
    private static partial int SetBitsPerSample(EncoderHandle encoder, uint bits);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_set_sample_rate")]
    private static partial int SetSampleRate(EncoderHandle encoder, uint rate);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_set_compression_level")]
    private static partial int SetCompressionLevel(EncoderHandle encoder, uint level);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_init_stream")]
    private static partial int InitStream(EncoderHandle encoder,
        delegate* unmanaged<nint, byte*, nuint, uint, uint, nint, int> write,
        delegate* unmanaged<nint, ulong, nint, int> seek,
        delegate* unmanaged<nint, ulong*, nint, int> tell,
        nint metadata, nint clientData);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_process_interleaved")]
    private static partial int ProcessInterleaved(EncoderHandle encoder, int* buffer, uint frames);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_finish")]
    private static partial int NativeFinish(EncoderHandle encoder);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_get_state")]
    private static partial int GetState(EncoderHandle encoder);

    [LibraryImport(Library, EntryPoint = "FLAC__stream_encoder_set_metadata")]
    private static partial int SetMetadata(EncoderHandle encoder, nint* blocks, uint count);

    [LibraryImport(Library, EntryPoint = "FLAC__metadata_object_new")]
    private static partial MetadataHandle MetadataNew(int type);

    [LibraryImport(Library, EntryPoint = "FLAC__metadata_object_delete")]
    private static partial void MetadataDelete(nint metadata);

    [LibraryImport(Library, EntryPoint = "FLAC__metadata_object_vorbiscomment_entry_from_name_value_pair", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int CommentEntryFromPair(CommentEntry* entry, string name, string value);

    [LibraryImport(Library, EntryPoint = "FLAC__metadata_object_vorbiscomment_append_comment")]
    private static partial int AppendComment(MetadataHandle metadata, CommentEntry entry, int copy);

    private const int MetadataTypeVorbisComment = 4;

    [StructLayout(LayoutKind.Sequential)]
    private struct CommentEntry // FLAC__StreamMetadata_VorbisComment_Entry: { uint32 length; byte* entry; }
    {
        public uint Length;
        public byte* Entry;
    }

    public sealed class MetadataHandle : SafeHandleZeroOrMinusOneIsInvalid
    {
        public MetadataHandle() : base(ownsHandle: true)
        {
        }

        protected override bool ReleaseHandle()
        {
            MetadataDelete(handle);
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
            Delete(handle);
            return true;
        }
    }

    /// <summary>A 16-bit FLAC stream that writes into an <see cref="EncodedOutput"/>.</summary>
    public sealed class Stream : IDisposable
    {
        private readonly EncoderHandle _encoder;
        private readonly MetadataHandle? _comments;
        private GCHandle _self;
        private EncodedOutput? _output;
        private long? _rewriteAt; // set by libFLAC's seek: the next writes replace earlier bytes
        private int[] _scratch = [];

        /// <param name="tags">Vorbis comments for the stream (NAME=value), written in a VORBIS_COMMENT block.</param>
        public Stream(int sampleRate, int channels, int compressionLevel, IReadOnlyDictionary<string, string>? tags = null)
        {
            _encoder = New();
            if (_encoder.IsInvalid)
            {
                throw new InvalidOperationException("FLAC__stream_encoder_new failed.");
            }
            try
            {
                // The setters answer false only for an encoder already initialised, which this one is not yet: checked anyway,
                // so a future reordering cannot silently encode with libFLAC's defaults.
                Check(SetChannels(_encoder, (uint)channels), "set_channels");
                Check(SetBitsPerSample(_encoder, 16), "set_bits_per_sample");
                Check(SetSampleRate(_encoder, (uint)sampleRate), "set_sample_rate");
                Check(SetCompressionLevel(_encoder, (uint)compressionLevel), "set_compression_level");
                if (tags is { Count: > 0 })
                {
                    _comments = MetadataNew(MetadataTypeVorbisComment);
                    foreach ((string name, string value) in tags)
                    {
                        CommentEntry entry;
                        // The entry's buffer is handed to the block (copy = 0), which frees it with itself.
                        if (CommentEntryFromPair(&entry, name, value) == 0 || AppendComment(_comments, entry, 0) == 0)
                        {
                            throw new InvalidOperationException($"libFLAC could not add the comment {name}.");
                        }
                    }
                    nint block = _comments.DangerousGetHandle();
                    Check(SetMetadata(_encoder, &block, 1), "set_metadata"); // libFLAC keeps the pointer: the block lives as long as the encoder
                }
            }
            catch
            {
                _comments?.Dispose();
                _encoder.Dispose();
                throw;
            }
        }

        private static void Check(int succeeded, string setter)
        {
            if (succeeded == 0)
            {
                throw new InvalidOperationException($"FLAC__stream_encoder_{setter} failed.");
            }
        }

        /// <summary>Starts the stream on first use: libFLAC writes the stream header from inside init.</summary>
        private void Attach(EncodedOutput output)
        {
            _output = output;
            if (_self.IsAllocated)
            {
                return;
            }
            _self = GCHandle.Alloc(this);
            int status = InitStream(_encoder, &OnWrite, &OnSeek, &OnTell, 0, GCHandle.ToIntPtr(_self));
            if (status != 0)
            {
                throw new InvalidOperationException($"FLAC__stream_encoder_init_stream failed ({status}).");
            }
        }

        /// <summary>Encodes 16-bit samples held in ints, interleaved.</summary>
        public void Process(ReadOnlySpan<short> interleaved, int channels, EncodedOutput output)
        {
            if (_scratch.Length < interleaved.Length)
            {
                _scratch = new int[interleaved.Length];
            }
            for (int i = 0; i < interleaved.Length; i++)
            {
                _scratch[i] = interleaved[i];
            }
            Attach(output);
            fixed (int* buffer = _scratch)
            {
                if (ProcessInterleaved(_encoder, buffer, (uint)(interleaved.Length / channels)) == 0)
                {
                    throw new InvalidOperationException($"FLAC__stream_encoder_process_interleaved failed (state {GetState(_encoder)}).");
                }
            }
        }

        public void Finish(EncodedOutput output)
        {
            Attach(output);
            if (NativeFinish(_encoder) == 0)
            {
                throw new InvalidOperationException($"FLAC__stream_encoder_finish failed (state {GetState(_encoder)}).");
            }
        }

        public void Dispose()
        {
            _encoder.Dispose();
            _comments?.Dispose();
            if (_self.IsAllocated)
            {
                _self.Free();
            }
        }

        private void Write(ReadOnlySpan<byte> bytes)
        {
            EncodedOutput output = _output ?? throw new InvalidOperationException("FLAC wrote outside a call.");
            if (_rewriteAt is long offset && offset < output.Position)
            {
                output.Patch(offset, bytes);
                _rewriteAt = offset + bytes.Length;
            }
            else
            {
                output.Write(bytes);
                _rewriteAt = null;
            }
        }

        private static Stream From(nint clientData) => (Stream)GCHandle.FromIntPtr(clientData).Target!;

        [UnmanagedCallersOnly]
        private static int OnWrite(nint encoder, byte* buffer, nuint bytes, uint samples, uint frame, nint clientData)
        {
            try
            {
                From(clientData).Write(new ReadOnlySpan<byte>(buffer, checked((int)bytes)));
                return WriteStatusOk;
            }
            catch (Exception)
            {
                // An exception must not unwind through native frames; libFLAC reports the failed state instead.
                return WriteStatusFatal;
            }
        }

        // Like OnWrite, seek and tell never let an exception unwind through libFLAC's frames: they answer its error
        // status, libFLAC aborts the stream, and the call that led there (finish) reports the encoder's failed state.
        // The stream encoder takes no read callback.
        [UnmanagedCallersOnly]
        private static int OnSeek(nint encoder, ulong offset, nint clientData)
        {
            try
            {
                From(clientData)._rewriteAt = checked((long)offset);
                return SeekStatusOk;
            }
            catch (Exception)
            {
                return SeekStatusError;
            }
        }

        [UnmanagedCallersOnly]
        private static int OnTell(nint encoder, ulong* offset, nint clientData)
        {
            try
            {
                Stream stream = From(clientData);
                *offset = (ulong)(stream._rewriteAt ?? stream._output?.Position ?? 0);
                return TellStatusOk;
            }
            catch (Exception)
            {
                return TellStatusError;
            }
        }
    }
}
