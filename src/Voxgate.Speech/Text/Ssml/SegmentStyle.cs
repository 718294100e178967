using Voxgate.Speech.Engines;

namespace Voxgate.Speech.Text.Ssml;

/// <summary>
/// How one stretch of an SSML document is spoken, beyond the request's own settings: another voice or language, and
/// prosody relative to the request's (<c>&lt;prosody&gt;</c>, <c>&lt;emphasis&gt;</c>). Applied per segment
/// (<see cref="TextSegment.Style"/>); a segment without one is spoken as the request says.
/// </summary>
/// <param name="VoiceName">A <c>&lt;voice name&gt;</c>, as written; resolved by the planner into <see cref="Voice"/>.</param>
/// <param name="Language">An <c>xml:lang</c> below the document's root; the planner picks a voice of the engine that speaks it.</param>
/// <param name="Rate">Speaking rate factor, multiplied into the request's speed (1 leaves it).</param>
/// <param name="PitchSemitones">Pitch shift added to the request's.</param>
/// <param name="Volume">Gain multiplied into the request's (1 leaves it).</param>
public sealed record SegmentStyle(string? VoiceName = null, string? Language = null, double Rate = 1, double PitchSemitones = 0, double Volume = 1)
{
    public static SegmentStyle Default { get; } = new();

    /// <summary>The voice the segment is spoken with, when not the plan's; set by the planner, never by the parser.</summary>
    public VoiceInfo? Voice { get; init; }

    /// <summary>The samples are changed after the engine (time-stretched, pitch-shifted or scaled).</summary>
    public bool ChangesAudio => Rate != 1 || PitchSemitones != 0 || Volume != 1;

    /// <summary>True when nothing differs from the request: such stretches carry no style at all.</summary>
    public bool IsDefault => this == Default;
}
