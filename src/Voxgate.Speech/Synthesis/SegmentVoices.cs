using Voxgate.Speech.Engines;
using Voxgate.Speech.Text;
using Voxgate.Speech.Text.Ssml;

namespace Voxgate.Speech.Synthesis;

/// <summary>
/// Resolves the voices an SSML document's segments ask for (<c>&lt;voice name&gt;</c>, <c>&lt;lang xml:lang&gt;</c>)
/// into voices of the plan's engine at the plan's sample rate: the pipeline runs one engine's turns, one chain and one
/// encoder per request, so a voice of another engine, or of another rate, is refused naming both.
/// </summary>
public static class SegmentVoices
{
    /// <param name="resolve">The planner's voice resolution (ids, aliases, catalog names).</param>
    /// <param name="candidates">The engine's voices a language may switch to.</param>
    public static PreparedText Resolve(PreparedText text, VoiceInfo planVoice, ISpeechEngine engine, Func<string, (VoiceInfo Voice, ISpeechEngine Engine)> resolve,
        IEnumerable<VoiceInfo> candidates)
    {
        if (!text.Segments.Any(s => s.Style is { VoiceName: not null } or { Language: not null }))
        {
            return text;
        }
        VoiceInfo[] sameEngine = [.. candidates.Where(v => v.Engine == planVoice.Engine && v.SampleRate == planVoice.SampleRate)];
        var chosen = new Dictionary<(string?, string?), VoiceInfo>();
        var segments = new List<TextSegment>(text.Segments.Count);
        foreach (TextSegment segment in text.Segments)
        {
            if (segment.Style is not { } style || (style.VoiceName is null && style.Language is null))
            {
                segments.Add(segment);
                continue;
            }
            if (!chosen.TryGetValue((style.VoiceName, style.Language), out VoiceInfo? voice))
            {
                voice = style.VoiceName is null ? planVoice : Named(style.VoiceName, planVoice, engine, resolve);
                if (style.Language is { } language)
                {
                    voice = ForLanguage(voice, language, sameEngine);
                }
                chosen[(style.VoiceName, style.Language)] = voice;
            }
            segments.Add(segment with { Style = style with { Voice = voice == planVoice ? null : voice } });
        }
        return text with { Segments = segments };
    }

    private static VoiceInfo Named(string name, VoiceInfo planVoice, ISpeechEngine engine, Func<string, (VoiceInfo Voice, ISpeechEngine Engine)> resolve)
    {
        (VoiceInfo voice, ISpeechEngine voiceEngine) = resolve(name);
        if (voiceEngine != engine || voice.SampleRate != planVoice.SampleRate || engine is IVoiceCloning)
        {
            throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, "input",
                $"<voice name=\"{name}\"> is {voice.Id} ({voice.Engine}, {voice.SampleRate} Hz); a document switches only between voices of the " +
                $"request's engine at its sample rate ({planVoice.Engine}, {planVoice.SampleRate} Hz). Choose the request's voice from that engine, or send separate requests.");
        }
        return voice;
    }

    /// <summary>The voice if it speaks the language; else a voice of the engine that does (same gender first); else the voice.</summary>
    private static VoiceInfo ForLanguage(VoiceInfo voice, string language, VoiceInfo[] candidates)
    {
        string primary = language.Split('-', '_')[0];
        foreach (string tag in language == primary ? [language] : new[] { language, primary })
        {
            if (SpeechPlanner.Speaks(voice, tag))
            {
                return voice;
            }
            if (candidates.Where(v => SpeechPlanner.Speaks(v, tag)).OrderByDescending(v => v.Gender == voice.Gender).FirstOrDefault() is { } other)
            {
                return other;
            }
        }
        return voice;
    }
}
