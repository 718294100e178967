using System.Buffers.Binary;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hostile;

/// <summary>
/// A request's audio is bounded by what it pays for: a few characters of pause markers cannot buy hours of audio, a
/// long pause never sits in memory in one piece, and the caller's own pauses are kept whole at the edges.
/// </summary>
[Collection(SecondApiCollection.Name)]
public class AudioBudgetTests(VoxgateFactory factory)
{
    /// <summary>453 characters asking for 50 × 99.99 s ≈ 83 minutes of silence.</summary>
    private static readonly string s_pauses = "Hi." + string.Concat(Enumerable.Repeat("<#99.99#>", 50));

    [Fact]
    public async Task FiftyLongPausesAreRefusedBeforeSynthesisOnBothSurfacesWithNothingChargedOrHeld()
    {
        Assert.Equal(453, s_pauses.Length);
        string key = await factory.CreateKeyAsync("pause-flood", "5.00");
        long balance = (await factory.WalletAsync("pause-flood")).BalanceMicros;
        using var meter = new SegmentMeter(factory.Services);

        // Old code: planned and synthesised all 83 minutes (nothing bounded audio per character).
        JsonElement minimax = await new MiniMaxApi(factory.CreateClient().WithKey(key)).PostAsync("t2a_v2", new
        {
            model = "speech-02-hd",
            text = s_pauses,
            voice_setting = new { voice_id = "flite:kal16" },
            audio_setting = new { format = "mp3" },
        });
        Assert.Equal(2013, MiniMaxApi.StatusCode(minimax));
        Assert.Contains("pause", MiniMaxApi.StatusMessage(minimax));
        Assert.False(minimax.TryGetProperty("data", out _));

        using HttpResponseMessage openAi = await factory.CreateClient().WithKey(key).PostSpeechAsync(
            new { model = "tts-1", input = s_pauses, voice = "flite:kal16", response_format = "mp3" });
        Assert.Equal(HttpStatusCode.BadRequest, openAi.StatusCode);
        JsonElement error = await openAi.ErrorAsync();
        Assert.Equal("input", error.GetProperty("param").GetString());
        Assert.Equal("invalid_value", error.GetProperty("code").GetString());
        Assert.Contains("pause", error.GetProperty("message").GetString());

        Assert.Equal(0, meter.Segments); // refused before any engine ran
        Assert.Equal((balance, 0L), ((await factory.WalletAsync("pause-flood")).BalanceMicros, (await factory.WalletAsync("pause-flood")).HeldMicros));
        Assert.Empty(await factory.UsageRowsAsync("pause-flood"));
        Assert.Empty(await factory.ChargesAsync("pause-flood"));
    }

    [Fact]
    public async Task LeadingAndTrailingPausesLastTheirFullTwoSeconds()
    {
        const int rate = 24000; // OpenAI's pcm: 24 kHz mono s16le
        float[] speech = await PcmAsync("Hello there.");
        float[] paused = await PcmAsync("<#2#>Hello there.<#2#>");
        double speechSeconds = speech.Length / (double)rate, pausedSeconds = paused.Length / (double)rate;

        // Old code trimmed the silence at both ends of the audio, the caller's pauses included.
        Assert.InRange(pausedSeconds, 4 + speechSeconds - 0.05, 4 + speechSeconds + 0.5);
        int edge = (int)(1.9 * rate);
        Assert.True(Signals.Peak(paused.AsSpan(0, edge)) < 0.002, $"the first 1.9 s are not silent: peak {Signals.Peak(paused.AsSpan(0, edge))}");
        Assert.True(Signals.Peak(paused.AsSpan(paused.Length - edge)) < 0.002, $"the last 1.9 s are not silent: peak {Signals.Peak(paused.AsSpan(paused.Length - edge))}");
        Assert.True(Signals.Peak(paused.AsSpan(edge, paused.Length - 2 * edge)) > 0.05, "the speech between the pauses is missing");
    }

    [Fact]
    public async Task ALongPauseIsHandedOnInBoundedPiecesNotInOne()
    {
        SpeechPlan plan = SpeechServices.Get<SpeechPlanner>().Plan(new SpeechRequest
        {
            Model = "tts-1", Voice = "flite:kal16", Input = "Hi. <#99.99#> There.", Format = AudioFormat.Wav, SampleRate = 48000, Channels = 2,
        });
        int maxPending = SpeechServices.Get<IOptions<StreamingOptions>>().Value.MaxPendingBytes;
        // One 4096-frame block of engine audio, resampled to 48 kHz stereo 16-bit, rounded up generously.
        int block = (int)Math.Ceiling(4096.0 * 48000 / plan.Voice.SampleRate) * 2 * 2;
        int bound = maxPending + 2 * block;
        Assert.True(bound < 1_000_000, $"the bound {bound} must be far below the ~19 MB the pause takes in one piece");

        long total = 0;
        int largest = 0;
        SpeechSummary? summary = null;
        await foreach (SpeechChunk chunk in SpeechServices.Get<SpeechPipeline>().RunAsync(plan, UnlimitedEngineTurns.Instance, 1, CancellationToken.None))
        {
            total += chunk.Audio.Length;
            largest = Math.Max(largest, chunk.Audio.Length);
            summary = chunk.Summary ?? summary;
        }

        // Old code: the whole 99.99 s of 48 kHz stereo silence (19 MB) came out as one chunk.
        Assert.True(largest <= bound, $"a chunk of {largest} bytes; at most {bound} should wait for a reader");
        Assert.InRange(summary!.AudioDuration.TotalSeconds, 99.99, 106);
        Assert.Equal(summary.AudioBytes, total);
        Assert.InRange(total / (48000.0 * 2 * 2), 99.99, 106.1);
    }

    /// <summary>OpenAI pcm for <paramref name="input"/> as samples in [-1, 1].</summary>
    private async Task<float[]> PcmAsync(string input)
    {
        using HttpResponseMessage response = await factory.CreateClient().PostSpeechAsync(
            new { model = "tts-1", input, voice = "flite:kal16", response_format = "pcm" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        byte[] pcm = await response.Content.ReadAsByteArrayAsync();
        var samples = new float[pcm.Length / 2];
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan(2 * i)) / 32768f;
        }
        return samples;
    }
}
