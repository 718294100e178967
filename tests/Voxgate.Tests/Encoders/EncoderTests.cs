using Microsoft.Extensions.Options;
using Voxgate.Speech.Encoders;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Encoders;

public class EncoderTests
{
    private static readonly AudioEncoderFactory s_factory = new(Options.Create(new EncoderOptions()));

    /// <summary>Encodes a tone in blocks as the pipeline does, collecting bytes and patches.</summary>
    private static (byte[] Streamed, byte[] Patched, int Chunks) Encode(EncoderSettings settings, float[] interleaved)
    {
        using IAudioEncoder encoder = s_factory.Create(settings);
        var output = new EncodedOutput();
        var stream = new MemoryStream();
        int chunks = 0;
        for (int offset = 0; offset < interleaved.Length; offset += 4800 * settings.Channels)
        {
            encoder.Encode(interleaved.AsSpan(offset, Math.Min(4800 * settings.Channels, interleaved.Length - offset)), output);
            byte[] pending = output.TakePending();
            chunks += pending.Length > 0 ? 1 : 0;
            stream.Write(pending);
        }
        encoder.Finish(output);
        stream.Write(output.TakePending());
        byte[] streamed = stream.ToArray();
        foreach (HeaderPatch patch in output.Patches)
        {
            stream.Position = patch.Offset;
            stream.Write(patch.Bytes);
        }
        Assert.Equal(streamed.Length, output.Position);
        return (streamed, stream.ToArray(), chunks);
    }

    private static float[] Tone(int rate, int channels, double seconds)
    {
        float[] mono = Signals.Sine(440, rate, TimeSpan.FromSeconds(seconds), 0.4f);
        return channels == 1 ? mono : [.. mono.SelectMany(s => new[] { s, s })];
    }

    [Theory]
    [InlineData(AudioFormat.Mp3, "mp3", "mp3", 24000, 1)]
    [InlineData(AudioFormat.Mp3, "mp3", "mp3", 44100, 2)]
    [InlineData(AudioFormat.Opus, "ogg", "opus", 24000, 1)]
    [InlineData(AudioFormat.Opus, "ogg", "opus", 16000, 2)]
    [InlineData(AudioFormat.Aac, "aac", "aac", 24000, 1)]
    [InlineData(AudioFormat.Aac, "aac", "aac", 32000, 2)]
    [InlineData(AudioFormat.Flac, "flac", "flac", 24000, 1)]
    [InlineData(AudioFormat.Flac, "flac", "flac", 8000, 2)]
    [InlineData(AudioFormat.Wav, "wav", "pcm_s16le", 24000, 1)]
    [InlineData(AudioFormat.Wav, "wav", "pcm_s16le", 48000, 2)]
    public async Task EachFormatDecodesAtItsRateChannelsAndLength(AudioFormat format, string extension, string codec, int rate, int channels)
    {
        (byte[] streamed, byte[] patched, int chunks) = Encode(new EncoderSettings(format, rate, channels), Tone(rate, channels, 3));
        Assert.True(chunks >= 2, $"only {chunks} chunk(s) left the encoder before the end: it is not streaming");
        foreach (byte[] audio in new[] { streamed, patched })
        {
            ProbeResult probe = await AudioProbe.ProbeAsync(audio, extension);
            Assert.Equal(codec, probe.Codec);
            Assert.Equal(format == AudioFormat.Opus ? 48000 : rate, probe.SampleRate);
            Assert.Equal(channels, probe.Channels);
            // Codec priming and frame padding add at most ~70 ms (AAC: 1024 samples + a partial frame).
            Assert.InRange(probe.DecodedDuration.TotalSeconds, 2.99, 3.1);
        }
        if (format == AudioFormat.Opus)
        {
            Assert.Equal(rate, AudioProbe.OpusInputSampleRate(streamed));
        }
    }

    [Fact]
    public void PcmIsRawLittleEndian16Bit()
    {
        (byte[] bytes, _, _) = Encode(new EncoderSettings(AudioFormat.Pcm, 24000, 1), [0f, 0.5f, -1f, 2f, float.NaN]);
        Assert.Equal(new byte[] { 0, 0, 0, 0x40, 0, 0x80, 0xFF, 0x7F, 0, 0 }, bytes);
    }

    [Fact]
    public void WavHeaderIsPatchedWithTheTrueSizes()
    {
        (byte[] streamed, byte[] patched, _) = Encode(new EncoderSettings(AudioFormat.Wav, 24000, 1), new float[1000]);
        Assert.Equal(2044, patched.Length);
        Assert.Equal(uint.MaxValue, BitConverter.ToUInt32(streamed, 40));
        Assert.Equal(2000u, BitConverter.ToUInt32(patched, 40));
        Assert.Equal(2036u, BitConverter.ToUInt32(patched, 4));
    }

    [Fact]
    public async Task FlacStreamInfoCarriesTheTotalOnlyOncePatched()
    {
        (byte[] streamed, byte[] patched, _) = Encode(new EncoderSettings(AudioFormat.Flac, 24000, 1), Tone(24000, 1, 1));
        Assert.NotEqual(streamed, patched);
        // STREAMINFO's 36-bit total sample count ends at byte 8 + 4 + 18 of the stream ("fLaC", block header, fields).
        long TotalSamples(byte[] flac) => ((long)(flac[21] & 0x0F) << 32) | ((long)flac[22] << 24) | ((long)flac[23] << 16) | ((long)flac[24] << 8) | flac[25];
        Assert.Equal(0, TotalSamples(streamed));
        Assert.Equal(24000, TotalSamples(patched));
        Assert.Equal(1.0, (await AudioProbe.ProbeAsync(patched, "flac")).DecodedDuration.TotalSeconds, 3);
    }

    [Fact]
    public void Mp3ReportsTheBitrateLameChose()
    {
        using IAudioEncoder encoder = s_factory.Create(new EncoderSettings(AudioFormat.Mp3, 24000, 1, 130_000));
        Assert.Equal(128_000, encoder.EffectiveBitrate);
    }

    [Theory]
    [InlineData(AudioFormat.Mp3, "audio/mpeg")]
    [InlineData(AudioFormat.Opus, "audio/ogg; codecs=opus")]
    [InlineData(AudioFormat.Aac, "audio/aac")]
    [InlineData(AudioFormat.Flac, "audio/flac")]
    [InlineData(AudioFormat.Wav, "audio/wav")]
    [InlineData(AudioFormat.Pcm, "audio/pcm;rate=24000;channels=1;encoding=s16le")]
    public void ContentTypes(AudioFormat format, string expected) => Assert.Equal(expected, AudioFormats.ContentType(format, 24000, 1));

    [Fact]
    public void AacRefusesRatesAdtsCannotCarry()
    {
        Assert.Throws<ArgumentException>(() => s_factory.Create(new EncoderSettings(AudioFormat.Aac, 22000, 1)));
    }
}
