using Voxgate.Http;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;
using Voxgate.Speech.Upstreams;

namespace Voxgate.MiniMax;

/// <summary>A MiniMax-specific refusal (its own code, such as 1042), carried to the endpoint as an exception.</summary>
public sealed class MiniMaxRefusalException(MiniMaxStatus status) : Exception(status.Message)
{
    public MiniMaxStatus Status { get; } = status;
}

/// <summary>The MiniMax surface's rules that are its own.</summary>
public static class MiniMaxSpeech
{
    /// <summary>MiniMax refuses text whose invisible or control characters exceed 10% (1042); below that it speaks and reports the ratio.</summary>
    public const double MaxInvisibleRatio = 0.10;

    public static void CheckInvisibleCharacters(string text)
    {
        TextNormalizer.Normalize(text, out int invisible);
        int characters = TextMetrics.CountCharacters(text);
        double ratio = characters == 0 ? 0 : (double)invisible / characters;
        if (ratio > MaxInvisibleRatio)
        {
            throw new MiniMaxRefusalException(new MiniMaxStatus(MiniMaxStatus.InvisibleCharacters,
                $"invisible character ratio limit: {ratio:P1} of the text is invisible or control characters; at most 10% is accepted."));
        }
    }

    /// <summary>A failure during synthesis: the provider's, mapped; else the server's (1000, retryable).</summary>
    public static MiniMaxStatus ForFailure(Exception failure, SpeechPlan plan, string requestId) => failure is UpstreamException upstream
        ? MiniMaxStatus.From(upstream, SpeechStreamer.IsByok(plan))
        : MiniMaxStatus.SynthesisFailed(requestId);
}
