using System.Net;
using Voxgate.Speech.Synthesis;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Api;

[Collection(ApiCollection.Name)]
public class StreamingTests(VoxgateFactory factory)
{
    [Fact]
    public async Task TheFirstChunkLeavesBeforeTheWholeTextIsSynthesised()
    {
        // The server's own counter of synthesised segments says how far synthesis had got when the first audio
        // bytes reached the client.
        using var meter = new SegmentMeter(factory.Services);
        // As the endpoint plans it: a stream, whose first sentence is cut in two.
        int total = SpeechServices.Get<SpeechPlanner>().Plan(new SpeechRequest { Model = "tts-1", Voice = "alloy", Input = LongText.StreamingSentences, Streamed = true }).Text.Segments.Count;
        HttpClient client = factory.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech")
        {
            Content = HttpJson.Body(new { model = "tts-1", input = LongText.StreamingSentences, voice = "alloy", response_format = "mp3" }),
        };
        using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentLength);
        await using Stream body = await response.Content.ReadAsStreamAsync();
        byte[] buffer = new byte[64 * 1024];
        int first = await body.ReadAsync(buffer);
        long segmentsAtFirstByte = meter.Segments;
        long rest = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            rest += read;
        }

        Assert.True(first > 0);
        Assert.True(total >= 10, $"the text should make many segments, got {total}");
        Assert.True(segmentsAtFirstByte < total / 2, $"first bytes arrived after {segmentsAtFirstByte} of {total} segments");
        Assert.Equal(total, meter.Segments);
        Assert.True(rest > first * 5, "most of the audio should arrive after the first chunk");
    }
}
