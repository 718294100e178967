namespace Voxgate.Gateway.Voices;

/// <summary>How a custom voice was made.</summary>
public enum VoiceKind
{
    /// <summary>From a recording (MiniMax voice_clone, OpenAI create voice): spoken by a cloning engine with the reference.</summary>
    Cloned,

    /// <summary>From a description (MiniMax voice_design): an installed voice (or blend) with voice controls.</summary>
    Designed,
}

/// <summary>The voice controls a designed voice adds to every request that uses it.</summary>
/// <param name="Blend">Voices blended with the base voice (same engine), with their weights; empty for the base alone.</param>
public sealed record VoiceControls(double PitchSemitones = 0, double Speed = 1, int Timbre = 0, int Intensity = 0, IReadOnlyList<BlendPart>? Blend = null);

public sealed record BlendPart(string Voice, double Weight);

/// <summary>
/// An account's custom voice. Its id is the account's to use in any speech request (<c>voice_id</c>, <c>voice</c>,
/// <c>{"id": ...}</c>); another account's id is simply unknown.
/// </summary>
/// <param name="Id">MiniMax: the caller's <c>voice_id</c>, or <c>ttv-voice-...</c> for designs; OpenAI: <c>voice_...</c>.</param>
/// <param name="ReferenceFileId">A clone's cleaned reference recording (a stored file, 16-bit mono WAV).</param>
/// <param name="Transcript">What the reference says, when known (cloning models such as ZipVoice need it).</param>
/// <param name="BaseVoice">A design's installed voice; a clone's cloning-engine voice at the time it was made.</param>
/// <param name="Upstream">The provider that holds the voice, when it was relayed there; <paramref name="UpstreamVoiceId"/> is its id there.</param>
public sealed record CustomVoice(
    long AccountId,
    string Id,
    VoiceKind Kind,
    string Name,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUsedAt,
    long? ReferenceFileId = null,
    string? Transcript = null,
    string? BaseVoice = null,
    VoiceControls? Controls = null,
    string? Upstream = null,
    string? UpstreamVoiceId = null,
    DateTimeOffset? DeletedAt = null);

/// <summary>An OpenAI consent recording: the speaker's permission, required to create a voice from a sample.</summary>
public sealed record VoiceConsent(long AccountId, string Id, string Name, string Language, long RecordingFileId, DateTimeOffset CreatedAt);

public enum AddVoiceResult
{
    Added,

    /// <summary>The account has (or had: deleted ids are never reused) a voice with this id.</summary>
    Duplicate,

    /// <summary>The account already has as many live custom voices as it may.</summary>
    LimitReached,
}

/// <summary>
/// Custom voices and consents. Every read by id is scoped to an account; a deleted voice keeps its row so its id is
/// never reused, and is invisible to every read.
/// </summary>
public interface IVoiceStore
{
    /// <summary>Adds the voice unless its id was ever used by the account or the account is at its limit (one transaction holding the account's row).</summary>
    Task<AddVoiceResult> TryAddAsync(CustomVoice voice, int maxLiveVoices, CancellationToken cancellationToken = default);

    Task<CustomVoice?> FindAsync(long accountId, string id, CancellationToken cancellationToken = default);

    /// <summary>The live voice any account holds at a provider under that provider's id (to keep accounts apart there).</summary>
    Task<CustomVoice?> FindByUpstreamAsync(string upstream, string upstreamVoiceId, CancellationToken cancellationToken = default);

    /// <summary>The account's live voices, oldest first.</summary>
    Task<IReadOnlyList<CustomVoice>> ListAsync(long accountId, CancellationToken cancellationToken = default);

    /// <summary>Marks the voice deleted; returns it as it was, or null when the account has no such live voice.</summary>
    Task<CustomVoice?> DeleteAsync(long accountId, string id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Removes a voice whose creation did not complete (its preview failed), so that its id stays free.</summary>
    Task PurgeAsync(long accountId, string id, CancellationToken cancellationToken = default);

    Task TouchAsync(long accountId, string id, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Marks deleted, and returns, every live voice last used at or before <paramref name="unusedSince"/> (each by exactly one caller).</summary>
    Task<IReadOnlyList<CustomVoice>> TakeExpiredAsync(DateTimeOffset unusedSince, DateTimeOffset now, CancellationToken cancellationToken = default);

    Task AddConsentAsync(VoiceConsent consent, CancellationToken cancellationToken = default);

    Task<VoiceConsent?> FindConsentAsync(long accountId, string id, CancellationToken cancellationToken = default);

    /// <summary>The account's consents, oldest first, after the one with id <paramref name="after"/> when given.</summary>
    Task<IReadOnlyList<VoiceConsent>> ListConsentsAsync(long accountId, string? after, int limit, CancellationToken cancellationToken = default);

    /// <summary>Renames the account's consent (OpenAI's update changes metadata only); false when it has none with that id.</summary>
    Task<bool> RenameConsentAsync(long accountId, string id, string name, CancellationToken cancellationToken = default);

    Task<bool> DeleteConsentAsync(long accountId, string id, CancellationToken cancellationToken = default);
}
