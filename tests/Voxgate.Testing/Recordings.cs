using System.Diagnostics;
using Microsoft.Extensions.Options;
using Voxgate.Speech.Encoders;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Voices;

/// <summary>
/// Recordings made in the test by the project's own encoders: a speech-like signal (voiced syllables with a changing
/// pitch and harmonics, separated by short pauses, framed by silence), as WAV, MP3, and m4a (AAC from the project's
/// encoder, put into an MP4 container by ffmpeg, as a phone would).
/// </summary>
public static class Recordings
{
    private static readonly AudioEncoderFactory s_encoders = new(Options.Create(new EncoderOptions()));

    public const int Rate = 24000;

    /// <summary>Half a second of silence, syllables for the rest but the last half second.</summary>
    public static float[] SpeechLike(TimeSpan length, int rate = Rate)
    {
        float[] samples = new float[(int)(length.TotalSeconds * rate)];
        int syllable = rate * 3 / 10, pause = rate * 15 / 100, edge = rate / 2;
        double phase = 0;
        for (int start = edge, n = 0; start + syllable < samples.Length - edge; start += syllable + pause, n++)
        {
            double pitch = 140 + 40 * Math.Sin(n * 0.7);
            for (int i = 0; i < syllable; i++)
            {
                double envelope = Math.Sin(Math.PI * i / syllable);
                phase += 2 * Math.PI * pitch / rate;
                samples[start + i] = (float)(0.3 * envelope * (Math.Sin(phase) + 0.5 * Math.Sin(2 * phase) + 0.25 * Math.Sin(3 * phase)) / 1.75);
            }
        }
        return samples;
    }

    public static byte[] Encode(AudioFormat format, float[] samples, int rate = Rate)
    {
        using IAudioEncoder encoder = s_encoders.Create(new EncoderSettings(format, rate, 1, 0));
        var output = new EncodedOutput();
        var stream = new MemoryStream();
        for (int offset = 0; offset < samples.Length; offset += 4800)
        {
            encoder.Encode(samples.AsSpan(offset, Math.Min(4800, samples.Length - offset)), output);
            stream.Write(output.TakePending());
        }
        encoder.Finish(output);
        stream.Write(output.TakePending());
        foreach (HeaderPatch patch in output.Patches)
        {
            stream.Position = patch.Offset;
            stream.Write(patch.Bytes);
        }
        return stream.ToArray();
    }

    /// <summary>The speech-like recording as WAV, at <paramref name="gain"/> times its usual loudness.</summary>
    public static byte[] Wav(TimeSpan length, float gain = 1) => Encode(AudioFormat.Wav, [.. SpeechLike(length).Select(s => s * gain)]);

    public static byte[] Mp3(TimeSpan length) => Encode(AudioFormat.Mp3, SpeechLike(length));

    /// <summary>AAC from the project's encoder, remuxed into an .m4a (MP4) container by ffmpeg without re-encoding.</summary>
    public static async Task<byte[]> M4aAsync(TimeSpan length)
    {
        string directory = Directory.CreateTempSubdirectory("voxgate-m4a-").FullName;
        try
        {
            string aac = Path.Combine(directory, "in.aac"), m4a = Path.Combine(directory, "out.m4a");
            await File.WriteAllBytesAsync(aac, Encode(AudioFormat.Aac, SpeechLike(length)));
            using Process ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", ["-v", "error", "-y", "-i", aac, "-c", "copy", m4a]) { RedirectStandardError = true })!;
            string error = await ffmpeg.StandardError.ReadToEndAsync();
            await ffmpeg.WaitForExitAsync();
            Assert.True(ffmpeg.ExitCode == 0, error);
            return await File.ReadAllBytesAsync(m4a);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
