using System.Net;
using System.Text.Json;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Hostile;

/// <summary>A server whose spill buffers keep only 4 KB in memory, so every answer of real audio goes through their files.</summary>
public sealed class SmallSpillFactory : VoxgateFactory
{
    public const int SpillMemoryBytes = 4096;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("Voxgate:Streaming:SpillMemoryBytes", SpillMemoryBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];
}

/// <summary>
/// MiniMax answers that carry all their audio at once: too large ones are refused before synthesis, and the rest are
/// kept in spill buffers (memory, then a file) and written out whole and exact, as JSON hex, a link, or the final event.
/// </summary>
public class LargeAnswerTests(SmallSpillFactory factory) : IClassFixture<SmallSpillFactory>
{
    private const string Text = "The answer is kept in memory up to a few kilobytes. The rest waits in a file until the last byte is written.";

    private static object Body(string text, string format, bool stream = false, string? outputFormat = null,
        int sampleRate = 16000, int channel = 1, double speed = 1.0) => new
        {
            model = "speech-02-hd",
            text,
            stream,
            output_format = outputFormat,
            voice_setting = new { voice_id = "flite:kal16", speed },
            audio_setting = new { format, sample_rate = sampleRate, channel },
        };

    [Fact]
    public async Task AHexAnswerTooLargeForOneDocumentIsRefusedBeforeSynthesisNamingStreamAndUrl()
    {
        string key = await factory.CreateKeyAsync("too-large", "5.00");
        long balance = (await factory.WalletAsync("too-large")).BalanceMicros;
        using var meter = new SegmentMeter(factory.Services);

        // 9,999 characters at half speed as 44.1 kHz stereo WAV: about 27 minutes, some 280 MB of audio in one JSON.
        JsonElement answer = await new MiniMaxApi(factory.CreateClient().WithKey(key)).PostAsync("t2a_v2",
            Body(LongText.Make(9_999), "wav", sampleRate: 44100, channel: 2, speed: 0.5));

        // Old code: synthesised for minutes, then failed with 1000 when the answer could not be built.
        Assert.Equal(2013, MiniMaxApi.StatusCode(answer));
        string message = MiniMaxApi.StatusMessage(answer);
        Assert.Contains("\"stream\"", message);
        Assert.Contains("\"output_format\"", message);
        Assert.Equal(0, meter.Segments);
        Assert.Equal((balance, 0L), ((await factory.WalletAsync("too-large")).BalanceMicros, (await factory.WalletAsync("too-large")).HeldMicros));
        Assert.Empty(await factory.UsageRowsAsync("too-large"));
    }

    [Fact]
    public async Task AHexAnswerLargerThanTheSpillMemoryIsExactJsonAndMatchesItsLink()
    {
        HttpClient client = factory.CreateClient();
        using HttpResponseMessage response = await client.PostAsync("/minimax/v1/t2a_v2", HttpJson.Body(Body(Text, "wav")));
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        JsonElement answer = MiniMaxApi.Ok(JsonDocument.Parse(body).RootElement.Clone());

        byte[] audio = Convert.FromHexString(answer.GetProperty("data").GetProperty("audio").GetString()!);
        Assert.True(audio.Length > 10 * SmallSpillFactory.SpillMemoryBytes, $"{audio.Length} bytes do not reach the spill file");
        Assert.Equal(audio.Length, answer.GetProperty("extra_info").GetProperty("audio_size").GetInt64());
        ProbeResult probe = await AudioProbe.ProbeAsync(audio, "wav");
        Assert.Equal(("pcm_s16le", 16000, 1), (probe.Codec, probe.SampleRate, probe.Channels));
        double seconds = answer.GetProperty("extra_info").GetProperty("audio_length").GetInt64() / 1000.0;
        Assert.InRange(probe.DecodedDuration.TotalSeconds, seconds - 0.1, seconds + 0.1);

        // The same request as a link: the stored file is the same bytes the hex carried.
        JsonElement linked = MiniMaxApi.Ok(await new MiniMaxApi(client).PostAsync("t2a_v2", Body(Text, "wav", outputFormat: "url")));
        using HttpClient anonymous = factory.CreateClientWithKey(null);
        byte[] downloaded = await anonymous.GetByteArrayAsync(linked.GetProperty("data").GetProperty("audio").GetString());
        Assert.Equal(audio, downloaded);
    }

    [Fact]
    public async Task TheStreamedFinalEventAggregatesExactlyTheStreamedChunks()
    {
        string text = string.Concat(Enumerable.Range(1, 6).Select(i => $"This is streamed sentence number {i}. "));
        using HttpResponseMessage response = await factory.CreateClient().PostAsync("/minimax/v1/t2a_v2",
            HttpJson.Body(Body(text, "mp3", stream: true)));
        List<JsonElement> events = MiniMaxApi.Events(await response.Content.ReadAsStringAsync());

        List<JsonElement> chunks = events[..^1];
        Assert.True(chunks.Count >= 2, $"expected several chunks, got {chunks.Count}");
        Assert.All(chunks, e => Assert.Equal(1, e.GetProperty("data").GetProperty("status").GetInt32()));
        JsonElement last = MiniMaxApi.Ok(events[^1]);
        Assert.Equal(2, last.GetProperty("data").GetProperty("status").GetInt32());
        byte[] streamed = [.. chunks.SelectMany(e => Convert.FromHexString(e.GetProperty("data").GetProperty("audio").GetString()!))];
        byte[] aggregated = Convert.FromHexString(last.GetProperty("data").GetProperty("audio").GetString()!);
        Assert.True(streamed.Length > 4 * SmallSpillFactory.SpillMemoryBytes, $"{streamed.Length} bytes do not reach the spill file");
        Assert.Equal(streamed, aggregated);
        Assert.Equal("mp3", (await AudioProbe.ProbeAsync(aggregated, "mp3")).Codec);
    }
}
