using System.Text;
using Microsoft.Extensions.Options;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Native;

namespace Voxgate.Speech.Engines;

/// <summary>
/// Flite's US English voices. Calls run concurrently without a lock: voices are never modified after
/// registration, so speed comes from the audio chain, not from Flite's <c>duration_stretch</c>.
/// </summary>
public sealed class FliteEngine : ISpeechEngine
{
    private static readonly Dictionary<string, (VoiceGender Gender, string Language, int Rate, string Description)> s_known = new()
    {
        ["slt"] = (VoiceGender.Female, "en-us", 16000, "CMU SLT, US English, female (clustergen)"),
        ["rms"] = (VoiceGender.Male, "en-us", 16000, "CMU RMS, US English, male (clustergen)"),
        ["awb"] = (VoiceGender.Male, "en-gb", 16000, "CMU AWB, Scottish English, male (clustergen)"),
        ["kal16"] = (VoiceGender.Male, "en-us", 16000, "CMU KAL, US English, male (diphone, fastest)"),
        ["kal"] = (VoiceGender.Male, "en-us", 8000, "CMU KAL, US English, male (diphone, 8 kHz)"),
    };

    private readonly Dictionary<string, Flite.Voice> _voices = new(StringComparer.Ordinal);

    public FliteEngine(IEnumerable<string> voiceNames)
    {
        var voices = new List<VoiceInfo>();
        foreach (string name in voiceNames)
        {
            Flite.Voice voice = Flite.RegisterVoice(name);
            var info = s_known.TryGetValue(name, out var known)
                ? new VoiceInfo($"flite:{name}", "flite", name, known.Language, known.Gender, known.Rate) { Description = known.Description }
                : new VoiceInfo($"flite:{name}", "flite", name, "en-us", VoiceGender.Unknown, Whole("Hi.", voice).SampleRate);
            _voices[info.Id] = voice;
            voices.Add(info);
        }
        Voices = voices;
    }

    public string Name => "flite";

    public string Version => "2.2";

    /// <summary>The phones the voice says for <paramref name="text"/> (CMU's phone set), pauses left out.</summary>
    public IReadOnlyList<string> Phones(string text, VoiceInfo voice) => Flite.Phones(text, _voices[voice.Id]);

    public IReadOnlyList<VoiceInfo> Voices { get; }

    public SpeedRange NativeSpeed => SpeedRange.None;

    /// <summary>
    /// A segment whole in one chunk; or, for <see cref="EngineRequest.Incremental"/>, in chunks of 50 ms of audio as the
    /// voice computes them (the clustergen voices take about 1/80 of the audio's duration, so the first chunk of a
    /// sentence is ready in a tenth of the sentence's time).
    /// </summary>
    public IAsyncEnumerable<PcmChunk> SynthesizeAsync(EngineRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Flite.Voice voice = _voices[request.Voice.Id];
        string text = ToFliteText(request.Text);
        if (!request.Incremental)
        {
            (float[] samples, int rate) = Whole(text, voice);
            return new[] { new PcmChunk(samples, rate, []) }.ToAsyncEnumerable();
        }
        int chunkFrames = request.Voice.SampleRate / 20;
        return BackgroundStream.StreamAsync<PcmChunk>((sink, _) =>
        {
            Flite.Synthesize(text, voice, chunkFrames, (samples, rate) => sink(new PcmChunk(PcmSamples.ToFloat(samples), rate, [])));
            return Task.CompletedTask;
        }, cancellationToken);
    }

    private static (float[] Samples, int SampleRate) Whole(string text, Flite.Voice voice)
    {
        (float[] Samples, int SampleRate) whole = ([], 0);
        Flite.Synthesize(text, voice, int.MaxValue, (samples, rate) =>
        {
            // One piece: the voice streams nothing before its end with so large a chunk.
            whole = (whole.Samples.Length == 0 ? PcmSamples.ToFloat(samples) : [.. whole.Samples, .. PcmSamples.ToFloat(samples)], rate);
            return true;
        });
        return whole;
    }

    /// <summary>
    /// Flite reads ASCII English: accents are dropped (é → e), typographic punctuation becomes its ASCII twin,
    /// anything else becomes a space.
    /// </summary>
    internal static string ToFliteText(string text)
    {
        string decomposed = text.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (char c in decomposed)
        {
            if (c < 128)
            {
                builder.Append(char.IsControl(c) ? ' ' : c);
                continue;
            }
            switch (c)
            {
                case '‘' or '’' or '‚' or '′':
                    builder.Append('\'');
                    break;
                case '“' or '”' or '„' or '″' or '«' or '»':
                    builder.Append('"');
                    break;
                case '–' or '—' or '−':
                    builder.Append(" - ");
                    break;
                case '…':
                    builder.Append("...");
                    break;
                default:
                    if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
                    {
                        builder.Append(' ');
                    }
                    break;
            }
        }
        return builder.ToString();
    }
}

/// <summary>Registers Flite when it is enabled.</summary>
public sealed class FliteEngineProvider(IOptions<EngineOptions> options) : ISpeechEngineProvider
{
    public string Name => "flite";

    public ISpeechEngine Create() => new FliteEngine(options.Value.FliteVoices);
}
