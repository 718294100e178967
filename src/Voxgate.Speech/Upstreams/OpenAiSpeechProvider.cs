using System.Runtime.CompilerServices;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Speech.Upstreams;

/// <summary>An OpenAI-compatible server: <c>POST {BaseUrl}/audio/speech</c>, whose answer is the audio bytes themselves.</summary>
public sealed class OpenAiSpeechProvider(UpstreamSpeechClient http) : IUpstreamSpeechProvider
{
    public string Kind => UpstreamKind.OpenAi;

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> StreamAsync(SpeechPlan plan, UpstreamRoute route,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        SpeechRequest request = plan.Request;
        var body = new Dictionary<string, object?>
        {
            ["model"] = route.Model,
            ["input"] = request.Input,
            ["voice"] = request.Voice,
            ["response_format"] = AudioFormats.Name(request.Format),
            ["speed"] = request.Speed,
        };
        if (request.Instructions is not null)
        {
            body["instructions"] = request.Instructions;
        }
        // Voxgate's extensions go upstream only when asked for: a real OpenAI server refuses unknown fields.
        AddIfSet(body, "sample_rate", request.SampleRate);
        AddIfSet(body, "channels", request.Channels == 1 ? null : request.Channels);
        AddIfSet(body, "volume", request.Volume == 1 ? null : request.Volume);
        AddIfSet(body, "bitrate", request.Bitrate == 0 ? null : request.Bitrate);

        using HttpResponseMessage response = await http.SendAsync(route, new Uri(UpstreamSpeechClient.WithTrailingSlash(route.BaseUrl), "audio/speech"), body, cancellationToken);
        await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        byte[] buffer = new byte[UpstreamSpeechClient.ReadSize];
        while (true)
        {
            int read = await UpstreamSpeechClient.ReadWithinAsync(route, stream, buffer, cancellationToken);
            if (read == 0)
            {
                yield break;
            }
            yield return buffer.AsSpan(0, read).ToArray();
        }
    }

    private static void AddIfSet(Dictionary<string, object?> body, string name, object? value)
    {
        if (value is not null)
        {
            body[name] = value;
        }
    }
}
