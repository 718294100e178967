using System.Buffers.Binary;
using Voxgate.Speech.Native;

namespace Voxgate.Speech.Watermarking;

/// <summary>The last seconds of a file's audio, mixed to mono.</summary>
public sealed record AudioTail(float[] Samples, int SampleRate);

/// <summary>The shape of headerless 16-bit little-endian PCM, which nothing in the file can say.</summary>
public sealed record RawPcmFormat(int SampleRate, int Channels);

/// <summary>
/// Decodes a file to find how it ends, keeping only the last seconds, so memory stays small for hours of audio:
/// WAV and raw PCM are read directly; MP3, AAC, FLAC and Ogg Opus go through FFmpeg's decoders (libavcodec).
/// </summary>
public static class AudioTailReader
{
    /// <param name="rawPcm">How to read a file in no known container as raw PCM; null refuses such files.</param>
    /// <exception cref="InvalidDataException">The file is not audio this can read.</exception>
    public static AudioTail Read(Stream file, TimeSpan length, RawPcmFormat? rawPcm)
    {
        byte[] head = new byte[64 * 1024];
        int read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        file.Position = 0;
        AudioContainer container = ContainerTags.Identify(head.AsSpan(0, read));
        var tail = new TailBuffer(length);
        switch (container)
        {
            case AudioContainer.Wav:
                ReadWav(file, tail);
                break;
            case AudioContainer.Mp3:
                file.Position = ContainerTags.Id3Length(head.AsSpan(0, read));
                Decode(file, "mp3float", tail);
                break;
            case AudioContainer.Aac:
                file.Position = ContainerTags.Id3Length(head.AsSpan(0, read));
                Decode(file, "aac", tail);
                break;
            case AudioContainer.Flac:
                Decode(file, "flac", tail);
                break;
            case AudioContainer.Ogg:
                DecodeOpus(file, tail);
                break;
            default:
                if (rawPcm is null)
                {
                    throw new InvalidDataException("Not a recognised audio file (MP3, AAC, WAV, FLAC or Ogg Opus); raw PCM must be declared as such.");
                }
                ReadPcm(file, rawPcm.SampleRate, rawPcm.Channels, tail);
                break;
        }
        return tail.ToAudio();
    }

    /// <summary>A RIFF WAVE file of 16-bit PCM, as Voxgate writes it (a streamed one may say its data runs to the end).</summary>
    private static void ReadWav(Stream file, TailBuffer tail)
    {
        using var reader = new BinaryReader(file, System.Text.Encoding.ASCII, leaveOpen: true);
        reader.ReadBytes(12);
        int sampleRate = 0, channels = 0, bits = 0;
        while (file.Position + 8 <= file.Length)
        {
            string id = new(reader.ReadChars(4));
            uint size = reader.ReadUInt32();
            if (id == "fmt ")
            {
                byte[] format = reader.ReadBytes((int)size);
                channels = BinaryPrimitives.ReadUInt16LittleEndian(format.AsSpan(2));
                sampleRate = BinaryPrimitives.ReadInt32LittleEndian(format.AsSpan(4));
                bits = BinaryPrimitives.ReadUInt16LittleEndian(format.AsSpan(14));
            }
            else if (id == "data")
            {
                if (bits != 16 || channels < 1)
                {
                    throw new InvalidDataException($"This WAV holds {bits}-bit audio in {channels} channels; only 16-bit PCM is read.");
                }
                ReadPcm(file, sampleRate, channels, tail);
                return;
            }
            else
            {
                file.Seek(size + (size & 1), SeekOrigin.Current);
            }
        }
        throw new InvalidDataException("The WAV file has no data chunk.");
    }

    private static void ReadPcm(Stream file, int sampleRate, int channels, TailBuffer tail)
    {
        byte[] buffer = new byte[64 * 1024 * channels];
        int frameBytes = 2 * channels, read;
        while ((read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false)) >= frameBytes)
        {
            float[] mono = new float[read / frameBytes];
            for (int i = 0; i < mono.Length; i++)
            {
                float sum = 0;
                for (int c = 0; c < channels; c++)
                {
                    sum += BinaryPrimitives.ReadInt16LittleEndian(buffer.AsSpan((i * channels + c) * 2)) / 32768f;
                }
                mono[i] = sum / channels;
            }
            tail.Add(mono, sampleRate);
        }
    }

    /// <summary>A raw stream cut into packets by FFmpeg's parser, then decoded.</summary>
    private static void Decode(Stream file, string decoder, TailBuffer tail)
    {
        (AvCodec.ContextHandle context, AvCodec.ParserHandle? parser) = AvCodec.OpenDecoder(decoder, parse: true);
        using (context)
        using (parser)
        using (AvCodec.PacketHandle packet = AvCodec.AllocPacket())
        using (AvCodec.FrameHandle frame = AvCodec.AllocFrame())
        {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = file.Read(buffer)) > 0)
            {
                ReadOnlySpan<byte> input = buffer.AsSpan(0, read);
                while (!input.IsEmpty)
                {
                    input = input[AvCodec.Parse(parser!, context, input, out ReadOnlySpan<byte> chunk)..];
                    if (!chunk.IsEmpty)
                    {
                        Feed(context, packet, frame, chunk.ToArray(), tail);
                    }
                }
            }
            // At the end of the file, empty input flushes the packets the parser still holds, one per call.
            while (AvCodec.Parse(parser!, context, [], out ReadOnlySpan<byte> last) >= 0 && !last.IsEmpty)
            {
                Feed(context, packet, frame, last.ToArray(), tail);
            }
            Flush(context, packet, frame, tail);
        }
    }

    /// <summary>Ogg Opus: OpusHead says the channels; every packet after OpusTags is audio at 48 kHz.</summary>
    private static void DecodeOpus(Stream file, TailBuffer tail)
    {
        using IEnumerator<byte[]> packets = OggPackets.Read(file).GetEnumerator();
        if (!packets.MoveNext() || !packets.Current.AsSpan().StartsWith("OpusHead"u8) || packets.Current.Length < 19)
        {
            throw new InvalidDataException("An Ogg file without an OpusHead: only Ogg Opus is read.");
        }
        int channels = packets.Current[9];
        packets.MoveNext(); // OpusTags
        (AvCodec.ContextHandle context, _) = AvCodec.OpenDecoder("opus", parse: false, 48000, channels);
        using (context)
        using (AvCodec.PacketHandle packet = AvCodec.AllocPacket())
        using (AvCodec.FrameHandle frame = AvCodec.AllocFrame())
        {
            while (packets.MoveNext())
            {
                Feed(context, packet, frame, packets.Current, tail);
            }
            Flush(context, packet, frame, tail);
        }
    }

    private static void Feed(AvCodec.ContextHandle context, AvCodec.PacketHandle packet, AvCodec.FrameHandle frame, byte[] data, TailBuffer tail)
    {
        while (!AvCodec.SendPacket(context, packet, data))
        {
            Drain(context, frame, tail); // the decoder is full: take its frames, then offer the packet again
        }
        Drain(context, frame, tail);
    }

    private static void Flush(AvCodec.ContextHandle context, AvCodec.PacketHandle packet, AvCodec.FrameHandle frame, TailBuffer tail)
    {
        AvCodec.SendPacket(context, packet, []);
        Drain(context, frame, tail);
    }

    private static void Drain(AvCodec.ContextHandle context, AvCodec.FrameHandle frame, TailBuffer tail)
    {
        while (AvCodec.ReceiveMonoFrame(context, frame, tail.Add))
        {
        }
    }

    /// <summary>The most recent samples, up to a length, in a ring.</summary>
    private sealed class TailBuffer(TimeSpan length)
    {
        private float[] _ring = [];
        private int _next;
        private long _total;
        private int _sampleRate;

        public void Add(ReadOnlySpan<float> samples, int sampleRate)
        {
            if (_sampleRate == 0)
            {
                _sampleRate = sampleRate;
                _ring = new float[Math.Max(1, (int)(length.TotalSeconds * sampleRate))];
            }
            foreach (float sample in samples)
            {
                _ring[_next] = sample;
                _next = (_next + 1) % _ring.Length;
            }
            _total += samples.Length;
        }

        public AudioTail ToAudio()
        {
            if (_total == 0)
            {
                throw new InvalidDataException("The file holds no audio that could be decoded.");
            }
            int count = (int)Math.Min(_total, _ring.Length);
            float[] samples = new float[count];
            for (int i = 0; i < count; i++)
            {
                samples[i] = _ring[(_next - count + i + _ring.Length) % _ring.Length];
            }
            return new AudioTail(samples, _sampleRate);
        }
    }
}
