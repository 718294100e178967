using System.Diagnostics;
using System.Globalization;

namespace Voxgate.Tests.Support;

/// <summary>What ffprobe says of a file, and how long it really is once ffmpeg has decoded every sample.</summary>
public sealed record ProbeResult(string Codec, string Container, int SampleRate, int Channels, TimeSpan DecodedDuration);

/// <summary>Checks audio with Debian's ffprobe/ffmpeg (installed by test.sh), never with our own decoders.</summary>
public static class AudioProbe
{
    public static async Task<ProbeResult> ProbeAsync(byte[] audio, string extension)
    {
        string path = Path.Combine(Path.GetTempPath(), $"voxgate-probe-{Guid.NewGuid():N}.{extension}");
        await File.WriteAllBytesAsync(path, audio);
        try
        {
            return await ProbeFileAsync(path, extension == "pcm" ? ["-f", "s16le", "-ar", "24000", "-ac", "1"] : []);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <param name="inputFormat">ffmpeg input options for headerless data (raw PCM).</param>
    public static async Task<ProbeResult> ProbeFileAsync(string path, string[] inputFormat)
    {
        string probe = await RunAsync("ffprobe", [.. inputFormat, "-v", "error", "-select_streams", "a:0",
            "-show_entries", "stream=codec_name,sample_rate,channels:format=format_name", "-of", "default=noprint_wrappers=1", path]);
        var fields = probe.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('=', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        // Decode everything to 16-bit mono at 48 kHz and count samples: this proves the stream decodes to the end
        // and measures its length without trusting headers (a streamed WAV or FLAC has none).
        long bytes = await DecodedBytesAsync([.. inputFormat, "-v", "error", "-i", path, "-f", "s16le", "-ac", "1", "-ar", "48000", "-"]);
        return new ProbeResult(
            fields.GetValueOrDefault("codec_name", ""),
            fields.GetValueOrDefault("format_name", ""),
            int.Parse(fields.GetValueOrDefault("sample_rate", "0"), CultureInfo.InvariantCulture),
            int.Parse(fields.GetValueOrDefault("channels", "0"), CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(bytes / 2.0 / 48000));
    }

    /// <summary>The audio decoded by ffmpeg to mono float samples at <paramref name="sampleRate"/>.</summary>
    /// <param name="pcmRate">The rate of raw 16-bit mono PCM (<paramref name="extension"/> <c>pcm</c>), which says none itself.</param>
    public static async Task<float[]> DecodeAsync(byte[] audio, string extension, int pcmRate = 24000, int sampleRate = 24000)
    {
        string path = Path.Combine(Path.GetTempPath(), $"voxgate-decode-{Guid.NewGuid():N}.{extension}");
        await File.WriteAllBytesAsync(path, audio);
        try
        {
            string[] input = extension == "pcm" ? ["-f", "s16le", "-ar", pcmRate.ToString(CultureInfo.InvariantCulture), "-ac", "1"] : [];
            using Process process = Start("ffmpeg", [.. input, "-v", "error", "-i", path, "-f", "f32le", "-ac", "1",
                "-ar", sampleRate.ToString(CultureInfo.InvariantCulture), "-"]);
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            using var decoded = new MemoryStream();
            await process.StandardOutput.BaseStream.CopyToAsync(decoded);
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"ffmpeg could not decode ({process.ExitCode}): {await stderr}");
            byte[] bytes = decoded.ToArray();
            float[] samples = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 4);
            return samples;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The RMS of the decoded audio, over the samples that are not silence (so a voice's pauses do not count).</summary>
    public static async Task<double> SpeechRmsAsync(byte[] audio, string extension)
    {
        float[] speech = [.. (await DecodeAsync(audio, extension)).Where(s => Math.Abs(s) > 1e-4)];
        Assert.True(speech.Length > 0, "the audio is silent");
        return Signals.Rms(speech);
    }

    /// <summary>The input rate an Ogg Opus stream records in its OpusHead (ffprobe always reports 48 kHz).</summary>
    public static int OpusInputSampleRate(byte[] ogg)
    {
        int head = ogg.AsSpan().IndexOf("OpusHead"u8);
        Assert.True(head >= 0, "no OpusHead packet");
        return BitConverter.ToInt32(ogg, head + 12);
    }

    private static async Task<string> RunAsync(string tool, string[] arguments)
    {
        using Process process = Start(tool, arguments);
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        string stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"{tool} failed ({process.ExitCode}): {await stderr}");
        return stdout;
    }

    private static async Task<long> DecodedBytesAsync(string[] arguments)
    {
        using Process process = Start("ffmpeg", arguments);
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        long total = 0;
        byte[] buffer = new byte[65536];
        int read;
        while ((read = await process.StandardOutput.BaseStream.ReadAsync(buffer)) > 0)
        {
            total += read;
        }
        await process.WaitForExitAsync();
        string errors = await stderr;
        Assert.True(process.ExitCode == 0 && errors.Length == 0, $"ffmpeg could not decode cleanly ({process.ExitCode}): {errors}");
        return total;
    }

    private static Process Start(string tool, string[] arguments)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {tool}");
    }
}
