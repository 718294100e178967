using System.Buffers;
using Voxgate.Speech.Native;

namespace Voxgate.Speech.Encoders;

/// <summary>
/// AAC-LC in ADTS framing: FFmpeg's native encoder produces raw access units, each of which goes out behind its
/// own 7-byte ADTS header, so every frame is decodable on arrival (the streaming form of <c>audio/aac</c>).
/// </summary>
public sealed class AacAdtsEncoder : IAudioEncoder
{
    private const int AdtsHeaderSize = 7;
    private static readonly int[] s_adtsSampleRates = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000];

    private readonly AvCodec.ContextHandle _context;
    private readonly AvCodec.FrameHandle _frame;
    private readonly AvCodec.PacketHandle _packet;
    private readonly int _frameSize;
    private readonly float[] _pending; // one frame of interleaved samples waiting to be sent
    private readonly int _sampleRateIndex;
    private int _pendingCount;
    private bool _tagWritten;

    public AacAdtsEncoder(EncoderSettings settings)
    {
        _sampleRateIndex = Array.IndexOf(s_adtsSampleRates, settings.SampleRate);
        if (_sampleRateIndex < 0)
        {
            throw new ArgumentException($"AAC cannot carry {settings.SampleRate} Hz.", nameof(settings));
        }
        Settings = settings;
        (_context, _frameSize) = AvCodec.OpenAacEncoder(settings.SampleRate, settings.Channels, settings.Bitrate);
        try
        {
            _frame = AvCodec.AllocFloatPlanarFrame(settings.SampleRate, settings.Channels, _frameSize);
            _packet = AvCodec.AllocPacket();
        }
        catch
        {
            _frame?.Dispose();
            _context.Dispose();
            throw;
        }
        _pending = new float[_frameSize * settings.Channels];
    }

    public EncoderSettings Settings { get; }

    public int EffectiveBitrate => Settings.Bitrate;

    public void Encode(ReadOnlySpan<float> interleaved, EncodedOutput output)
    {
        WriteTagOnce(output);
        while (!interleaved.IsEmpty)
        {
            int take = Math.Min(interleaved.Length, _pending.Length - _pendingCount);
            interleaved[..take].CopyTo(_pending.AsSpan(_pendingCount));
            _pendingCount += take;
            interleaved = interleaved[take..];
            if (_pendingCount == _pending.Length)
            {
                SendPending(output);
            }
        }
    }

    public void Finish(EncodedOutput output)
    {
        WriteTagOnce(output);
        if (_pendingCount > 0)
        {
            SendPending(output); // the encoder accepts a short last frame
        }
        AvCodec.SendFrame(_context, null);
        DrainPackets(output);
    }

    public void Dispose()
    {
        _packet.Dispose();
        _frame.Dispose();
        _context.Dispose();
    }

    /// <summary>ADTS has no metadata of its own; an ID3v2 tag in front carries it (decoders skip it).</summary>
    private void WriteTagOnce(EncodedOutput output)
    {
        if (!_tagWritten && Settings.Tags is { Count: > 0 } tags)
        {
            output.Write(Id3Tag.Build(tags));
        }
        _tagWritten = true;
    }

    private void SendPending(EncodedOutput output)
    {
        AvCodec.FillFrame(_frame, _pending.AsSpan(0, _pendingCount), Settings.Channels);
        AvCodec.SendFrame(_context, _frame);
        _pendingCount = 0;
        DrainPackets(output);
    }

    private void DrainPackets(EncodedOutput output)
    {
        while (AvCodec.ReceivePacket(_context, _packet, out ReadOnlySpan<byte> data))
        {
            Span<byte> target = output.GetSpan(AdtsHeaderSize + data.Length);
            WriteAdtsHeader(target, AdtsHeaderSize + data.Length);
            data.CopyTo(target[AdtsHeaderSize..]);
            output.Advance(AdtsHeaderSize + data.Length);
        }
    }

    /// <summary>ADTS fixed + variable header, MPEG-4, AAC-LC, no CRC (ISO/IEC 14496-3, 1.A.2.2).</summary>
    private void WriteAdtsHeader(Span<byte> header, int frameLength)
    {
        const int ProfileLowComplexity = 1; // audio object type 2, minus one
        int channels = Settings.Channels;
        header[0] = 0xFF;
        header[1] = 0xF1; // sync word end, MPEG-4, layer 0, no CRC
        header[2] = (byte)((ProfileLowComplexity << 6) | (_sampleRateIndex << 2) | (channels >> 2));
        header[3] = (byte)(((channels & 3) << 6) | (frameLength >> 11));
        header[4] = (byte)((frameLength >> 3) & 0xFF);
        header[5] = (byte)(((frameLength & 7) << 5) | 0x1F); // buffer fullness 0x7FF: variable rate
        header[6] = 0xFC;
    }
}
