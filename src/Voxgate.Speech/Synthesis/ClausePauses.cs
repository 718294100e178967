using System.Collections.Concurrent;
using Voxgate.Speech.Audio;
using Voxgate.Speech.Engines;

namespace Voxgate.Speech.Synthesis;

/// <summary>
/// How long a voice pauses at a comma, measured from its own audio: the middle of the three longest quiet runs of a
/// sentence with three commas (they are the commas' pauses), once per voice (and cloned speaker) at speed 1.
/// A segment cut short inside its sentence (<see cref="Text.SegmentCut"/>) is joined to the rest with this pause, so
/// the join sounds like the voice's own comma: flite:kal16 pauses ~300 ms, flite:slt and eSpeak NG ~150-200 ms.
/// </summary>
public sealed class ClausePauses
{
    /// <summary>Used when the voice's audio shows no pause (or the measurement fails): a typical comma.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromMilliseconds(200);

    private const string Calibration = "Well, the old man walked up the hill, looked at the sea, and went home again.";

    /// <summary>The commas in <see cref="Calibration"/>.</summary>
    private const int Commas = 3;

    /// <summary>Quiet runs shorter than this are stop closures inside words, not pauses.</summary>
    private const int MinPauseMs = 50;

    /// <summary>Voices (and cloned speakers) remembered at most; beyond it, each is measured again when needed.</summary>
    private const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<string, int> _frames = new(StringComparer.Ordinal);

    /// <summary>The voice's comma pause in frames at its sample rate, at speed 1.</summary>
    public async Task<int> FramesAsync(ISpeechEngine engine, VoiceInfo voice, VoiceReference? reference, CancellationToken cancellationToken)
    {
        string key = reference is null ? voice.Id : voice.Id + "\n" + reference.Id;
        if (_frames.TryGetValue(key, out int frames))
        {
            return frames;
        }
        frames = await MeasureAsync(engine, voice, reference, cancellationToken);
        if (_frames.Count < MaxRemembered)
        {
            _frames[key] = frames;
        }
        return frames;
    }

    private static async Task<int> MeasureAsync(ISpeechEngine engine, VoiceInfo voice, VoiceReference? reference, CancellationToken cancellationToken)
    {
        int fallback = (int)(Default.TotalSeconds * voice.SampleRate);
        var samples = new List<float>();
        try
        {
            await foreach (PcmChunk chunk in engine.SynthesizeAsync(new EngineRequest(Calibration, voice, 1.0, null, reference), cancellationToken))
            {
                samples.AddRange(chunk.Samples);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return fallback; // the join then takes a typical comma; the request's own segments report their failures
        }
        float[] audio = [.. samples];
        List<(int Start, int Length)> runs = EdgeSilence.QuietRuns(audio, voice.SampleRate);
        int min = voice.SampleRate * MinPauseMs / 1000;
        int window = voice.SampleRate * EdgeSilence.WindowMs / 1000;
        int[] pauses = [.. runs.Where(r => r.Start > 0 && r.Start + r.Length + window <= audio.Length && r.Length >= min).Select(r => r.Length).OrderDescending().Take(Commas)];
        return pauses.Length == 0 ? fallback : pauses[pauses.Length / 2];
    }
}
