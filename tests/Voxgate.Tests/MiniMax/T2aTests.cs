using System.Net;
using System.Text.Json;
using Voxgate.Tests.Api;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.MiniMax;

/// <summary>Synchronous and streaming <c>t2a_v2</c>, as a MiniMax client sends it, checked with ffprobe.</summary>
[Collection(ApiCollection.Name)]
public class T2aTests(VoxgateFactory factory)
{
    private const string Text = "Voxgate speaks MiniMax. It answers with hex audio, subtitles and extra information.";

    private MiniMaxApi Api(string prefix = "/minimax") => new(factory.CreateClient(), prefix);

    private static object Body(string format = "mp3", int sampleRate = 32000, int channel = 1, string voice = "flite:kal16", string text = Text,
        bool stream = false, object? streamOptions = null, string? outputFormat = null, bool subtitles = false, string? subtitleType = null) => new
        {
            model = "speech-02-hd",
            text,
            stream,
            stream_options = streamOptions,
            output_format = outputFormat,
            subtitle_enable = subtitles,
            subtitle_type = subtitleType,
            voice_setting = new { voice_id = voice, speed = 1.0, vol = 1.0, pitch = 0 },
            audio_setting = new { sample_rate = sampleRate, bitrate = 128000, format, channel },
        };

    [Theory]
    [InlineData("mp3", 16000, 1, "mp3")]
    [InlineData("mp3", 44100, 2, "mp3")]
    [InlineData("flac", 22050, 1, "flac")]
    [InlineData("wav", 8000, 2, "pcm_s16le")]
    [InlineData("opus", 24000, 1, "opus")]
    public async Task HexAudioDecodesAtTheRequestedFormatRateAndChannels(string format, int sampleRate, int channels, string codec)
    {
        JsonElement answer = MiniMaxApi.Ok(await Api().PostAsync("t2a_v2", Body(format, sampleRate, channels)));

        JsonElement data = answer.GetProperty("data");
        Assert.Equal(2, data.GetProperty("status").GetInt32());
        byte[] audio = Convert.FromHexString(data.GetProperty("audio").GetString()!);
        ProbeResult probe = await AudioProbe.ProbeAsync(audio, format);
        Assert.Equal(codec, probe.Codec);
        Assert.Equal(channels, probe.Channels);
        Assert.Equal(sampleRate, format == "opus" ? AudioProbe.OpusInputSampleRate(audio) : probe.SampleRate);

        JsonElement extra = answer.GetProperty("extra_info");
        Assert.Equal(
            ["audio_channel", "audio_format", "audio_length", "audio_sample_rate", "audio_size", "bitrate", "invisible_character_ratio", "usage_characters", "word_count"],
            extra.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(audio.Length, extra.GetProperty("audio_size").GetInt64());
        Assert.Equal(sampleRate, extra.GetProperty("audio_sample_rate").GetInt32());
        Assert.Equal(channels, extra.GetProperty("audio_channel").GetInt32());
        Assert.Equal(format, extra.GetProperty("audio_format").GetString());
        Assert.Equal(Text.Length, extra.GetProperty("usage_characters").GetInt32());
        Assert.Equal(12, extra.GetProperty("word_count").GetInt32());
        Assert.Equal(0, extra.GetProperty("invisible_character_ratio").GetDouble());
        double seconds = extra.GetProperty("audio_length").GetInt64() / 1000.0;
        Assert.InRange(probe.DecodedDuration.TotalSeconds, seconds - 0.1, seconds + 0.1);
        Assert.InRange(seconds, 3, 12); // 12 words at a speaking rate
        Assert.False(string.IsNullOrEmpty(answer.GetProperty("trace_id").GetString()));
    }

    [Fact]
    public async Task TheSameRouteServesWithoutThePrefix()
    {
        JsonElement answer = MiniMaxApi.Ok(await Api(prefix: "").PostAsync("t2a_v2", Body(text: "Short.")));
        Assert.True(answer.GetProperty("data").GetProperty("audio").GetString()!.Length > 100);
    }

    [Fact]
    public async Task MiniMaxSystemVoicesAreServedByTheirConfiguredLocalVoices()
    {
        foreach (string voice in new[] { "English_Graceful_Lady", "audiobook_male_1", "male-qn-qingse", "English_SomeFutureVoice" })
        {
            JsonElement answer = await Api().PostAsync("t2a_v2", Body(voice: voice, text: "Hello."));
            Assert.True(MiniMaxApi.StatusCode(answer) == 0, $"{voice}: {answer}");
        }
        JsonElement unknown = await Api().PostAsync("t2a_v2", Body(voice: "no_such_voice", text: "Hello."));
        Assert.Equal(20132, MiniMaxApi.StatusCode(unknown));
        Assert.Contains("no_such_voice", MiniMaxApi.StatusMessage(unknown));
    }

    [Fact]
    public async Task UrlOutputLinksToTheAudioWithASignedExpiringLink()
    {
        MiniMaxApi api = Api();
        JsonElement answer = MiniMaxApi.Ok(await api.PostAsync("t2a_v2", Body("flac", 16000, outputFormat: "url")));
        string link = answer.GetProperty("data").GetProperty("audio").GetString()!;
        Assert.StartsWith("http://localhost/minimax/v1/files/download/", link);

        using HttpClient anonymous = factory.CreateClientWithKey(null); // the link itself is the credential
        byte[] audio = await anonymous.GetByteArrayAsync(link);
        Assert.Equal(answer.GetProperty("extra_info").GetProperty("audio_size").GetInt64(), audio.Length);
        Assert.Equal("flac", (await AudioProbe.ProbeAsync(audio, "flac")).Codec);

        string tampered = link.Replace("signature=", "signature=A", StringComparison.Ordinal);
        using HttpResponseMessage refused = await anonymous.GetAsync(tampered);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(1004, MiniMaxApi.StatusCode(await refused.JsonAsync()));
    }

    [Theory]
    [InlineData("espeak:en-us")]
    [InlineData("flite:kal16")]
    public async Task NormalisedSubtitlesShowTheCallersTextAndItsOffsets(string voice)
    {
        const string text = "It cost $4.2 million on March 3, 1998. Call 555-0142 now.";
        var body = new
        {
            model = "speech-02-hd",
            text,
            subtitle_enable = true,
            subtitle_type = "word",
            voice_setting = new { voice_id = voice, text_normalization = true },
            audio_setting = new { format = "mp3" },
        };
        JsonElement answer = MiniMaxApi.Ok(await Api().PostAsync("t2a_v2", body));
        string link = answer.GetProperty("data").GetProperty("subtitle_file").GetString()!;
        List<JsonElement> sentences = [.. JsonDocument.Parse(await factory.CreateClient().GetStringAsync(link)).RootElement.EnumerateArray()];

        Assert.Equal(["It cost $4.2 million on March 3, 1998.", "Call 555-0142 now."], sentences.Select(s => s.GetProperty("text").GetString()));
        foreach (JsonElement sentence in sentences)
        {
            Assert.Equal(sentence.GetProperty("text").GetString(), text[sentence.GetProperty("text_begin").GetInt32()..sentence.GetProperty("text_end").GetInt32()]);
            foreach (JsonElement word in sentence.GetProperty("timestamped_words").EnumerateArray())
            {
                Assert.Equal(word.GetProperty("word").GetString(), text[word.GetProperty("word_begin").GetInt32()..word.GetProperty("word_end").GetInt32()]);
            }
        }
        // The five spoken words of "four point two million dollars" are the one written amount, timed as one.
        string[] words = [.. sentences.SelectMany(s => s.GetProperty("timestamped_words").EnumerateArray()).Select(w => w.GetProperty("word").GetString()!)];
        Assert.Contains("$4.2 million", words);
        Assert.Contains("555-0142", words);
        Assert.Equal(words.Length, words.Distinct().Count());
    }

    [Theory]
    [InlineData("sentence")]
    [InlineData("word")]
    public async Task SubtitlesCoverTheAudioInOrder(string type)
    {
        const string text = "The first sentence is here. The second one follows it. And a third closes the paragraph.";
        JsonElement answer = MiniMaxApi.Ok(await Api().PostAsync("t2a_v2", Body(text: text, voice: "espeak:en-us", subtitles: true, subtitleType: type)));
        string link = answer.GetProperty("data").GetProperty("subtitle_file").GetString()!;
        JsonElement subtitles = JsonDocument.Parse(await factory.CreateClient().GetStringAsync(link)).RootElement;
        long audioLength = answer.GetProperty("extra_info").GetProperty("audio_length").GetInt64();

        List<JsonElement> sentences = [.. subtitles.EnumerateArray()];
        Assert.Equal(3, sentences.Count);
        Assert.Equal(0, sentences[0].GetProperty("time_begin").GetInt64());
        Assert.InRange(sentences[^1].GetProperty("time_end").GetInt64(), audioLength - 50, audioLength);
        long previousEnd = 0;
        foreach (JsonElement sentence in sentences)
        {
            long begin = sentence.GetProperty("time_begin").GetInt64(), end = sentence.GetProperty("time_end").GetInt64();
            Assert.True(begin >= previousEnd && end > begin, $"times out of order: {sentence}");
            string spoken = sentence.GetProperty("text").GetString()!;
            Assert.Equal(spoken, text[sentence.GetProperty("text_begin").GetInt32()..sentence.GetProperty("text_end").GetInt32()]);
            if (type == "word")
            {
                List<JsonElement> words = [.. sentence.GetProperty("timestamped_words").EnumerateArray()];
                Assert.Equal(spoken.Split(' ').Length, words.Count);
                Assert.All(words, w => Assert.InRange(w.GetProperty("time_begin").GetInt64(), begin, end));
                Assert.True(words.Zip(words.Skip(1)).All(p => p.First.GetProperty("time_end").GetInt64() <= p.Second.GetProperty("time_begin").GetInt64() + 1));
            }
            else
            {
                Assert.False(sentence.TryGetProperty("timestamped_words", out _));
            }
            previousEnd = end;
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StreamingSendsHexChunksThenAFinalStatus2(bool excludeAggregated)
    {
        string text = string.Concat(Enumerable.Range(1, 12).Select(i => $"This is streamed sentence number {i}. "));
        using HttpResponseMessage response = await factory.CreateClient().PostAsync("/minimax/v1/t2a_v2",
            HttpJson.Body(Body("mp3", 24000, text: text, stream: true, streamOptions: new { exclude_aggregated_audio = excludeAggregated })));
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        List<JsonElement> events = MiniMaxApi.Events(await response.Content.ReadAsStringAsync());

        List<JsonElement> chunks = events[..^1];
        JsonElement last = events[^1];
        Assert.True(chunks.Count >= 2, $"expected several chunks, got {chunks.Count}");
        Assert.All(chunks, e => Assert.Equal(1, e.GetProperty("data").GetProperty("status").GetInt32()));
        Assert.Equal(2, last.GetProperty("data").GetProperty("status").GetInt32());
        Assert.Equal(0, MiniMaxApi.StatusCode(last));
        byte[] streamed = [.. chunks.SelectMany(e => Convert.FromHexString(e.GetProperty("data").GetProperty("audio").GetString()!))];
        string aggregated = last.GetProperty("data").GetProperty("audio").GetString()!;
        if (excludeAggregated)
        {
            Assert.Equal("", aggregated);
        }
        else
        {
            Assert.Equal(streamed, Convert.FromHexString(aggregated));
        }
        Assert.Equal(streamed.Length, last.GetProperty("extra_info").GetProperty("audio_size").GetInt64());
        ProbeResult probe = await AudioProbe.ProbeAsync(streamed, "mp3");
        Assert.Equal(24000, probe.SampleRate);
        Assert.InRange(probe.DecodedDuration.TotalMilliseconds, last.GetProperty("extra_info").GetProperty("audio_length").GetInt64() - 100,
            last.GetProperty("extra_info").GetProperty("audio_length").GetInt64() + 100);
    }

    [Fact]
    public async Task TheFirstStreamedChunkArrivesBeforeSynthesisEnds()
    {
        using var meter = new SegmentMeter(factory.Services);
        var request = new HttpRequestMessage(HttpMethod.Post, "/minimax/v1/t2a_v2")
        {
            Content = HttpJson.Body(Body("mp3", 24000, voice: "flite:slt", text: LongText.StreamingSentences, stream: true)),
        };
        using HttpResponseMessage response = await factory.CreateClient().SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? first = await reader.ReadLineAsync();
        long segmentsAtFirstEvent = meter.Segments;
        string rest = await reader.ReadToEndAsync();

        Assert.StartsWith("data: ", first);
        Assert.Equal(1, JsonDocument.Parse(first!["data: ".Length..]).RootElement.GetProperty("data").GetProperty("status").GetInt32());
        long total = meter.Segments;
        Assert.True(total >= 10, $"the text should make many segments, got {total}");
        Assert.True(segmentsAtFirstEvent < total / 2, $"the first event arrived after {segmentsAtFirstEvent} of {total} segments");
        Assert.Equal(2, MiniMaxApi.Events(rest)[^1].GetProperty("data").GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AigcWatermarkMarksTheAudioForTheDetector(bool watermark)
    {
        JsonElement answer = MiniMaxApi.Ok(await Api().PostAsync("t2a_v2", new
        {
            model = "speech-02-hd",
            text = "Machine made speech.",
            aigc_watermark = watermark,
            voice_setting = new { voice_id = "flite:kal16" },
            audio_setting = new { format = "mp3", sample_rate = 16000 },
        }));
        byte[] audio = Convert.FromHexString(answer.GetProperty("data").GetProperty("audio").GetString()!);
        Speech.Watermarking.WatermarkReport report = Speech.Watermarking.WatermarkDetector.Detect(new MemoryStream(audio));
        Assert.Equal((watermark, watermark, watermark ? "generated by Voxgate" : null), (report.MachineGenerated, report.Chime, report.Tag));
    }
}
