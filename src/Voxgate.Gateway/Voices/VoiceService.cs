using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Files;
using Voxgate.Speech.Audio;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Gateway.Voices;

/// <summary>A recording to clone, already decoded and checked.</summary>
/// <param name="Prompt">MiniMax's <c>clone_prompt.prompt_audio</c> (under 8 s) with its <paramref name="PromptText"/>: when
/// given, it is the reference the cloning model hears, as its words are known.</param>
public sealed record CloneSource(DecodedAudio Recording, DecodedAudio? Prompt, string? PromptText, ReferenceCleaning Cleaning);

/// <summary>
/// Custom voices of every surface on one store: cloned (a cleaned reference recording spoken by a cloning engine) and
/// designed (an installed voice with voice controls); creating, listing, deleting, expiring them, and turning a
/// caller's voice id in a speech request into what the pipeline speaks (<see cref="ResolveAsync"/>).
/// </summary>
public sealed partial class VoiceService(
    IVoiceStore store,
    FileService files,
    SpeechEngineRegistry engines,
    ModelCatalog catalog,
    IOptions<VoiceOptions> options,
    TimeProvider time,
    ILogger<VoiceService> logger,
    SurfaceHints? hints = null)
{
    public const string ReferencePurpose = "voice_reference";

    /// <summary>Stored references live as long as their voice; the voice's expiry deletes them.</summary>
    private static readonly TimeSpan s_referenceFileLifetime = TimeSpan.FromDays(3650);

    /// <summary>What an operator installs to clone locally (the cloning models of <c>voxgate models list</c>).</summary>
    public const string CloningModelHint = "one with `voxgate models pull sherpa-onnx-zipvoice-distill-int8-zh-en-emilia` (ZipVoice, needs the recording's transcript) or `voxgate models pull sherpa-onnx-pocket-tts-int8-2026-01-26` (Pocket TTS)";

    private readonly ReferenceCache _references = new(Math.Max(1, options.Value.MaxCachedReferences));

    public VoiceOptions Options => options.Value;

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_-]{6,254}[A-Za-z0-9]$")]
    private static partial Regex MiniMaxVoiceId();

    /// <summary>MiniMax's rules for a caller's voice_id: 8-256 characters, a letter first, letters, digits, - and _, not ending in - or _.</summary>
    /// <exception cref="VoiceException">It breaks one.</exception>
    public void CheckVoiceId(string? voiceId)
    {
        if (string.IsNullOrEmpty(voiceId))
        {
            throw new VoiceException(VoiceErrorKind.Invalid, "voice_id", "voice_id is required.");
        }
        if (!MiniMaxVoiceId().IsMatch(voiceId))
        {
            throw new VoiceException(VoiceErrorKind.Invalid, "voice_id",
                $"voice_id must be 8 to 256 characters, start with a letter, hold only letters, digits, '-' and '_', and not end with '-' or '_'; got '{Quote(voiceId)}'.");
        }
        if (IsServerVoice(voiceId))
        {
            throw new VoiceException(VoiceErrorKind.Duplicate, "voice_id", $"voice_id '{voiceId}' is a voice of this server; choose another id.");
        }
    }

    /// <summary>True when a name is one of this server's own voices or exact aliases (which a custom id may not shadow).</summary>
    public bool IsServerVoice(string name) =>
        engines.TryGetVoice(name, out _, out _) || catalog.VoiceAliases.ContainsKey(name)
        || catalog.Models.Any(m => m.VoiceAliases.ContainsKey(name) || m.Prefer.Any(p => p.VoiceAliases.ContainsKey(name)));

    /// <summary>The voices local cloning speaks with; empty when no cloning model is installed.</summary>
    public IReadOnlyList<VoiceInfo> CloningVoices => engines.CloningVoices;

    /// <exception cref="VoiceException">No cloning model is installed.</exception>
    public VoiceInfo RequireCloningVoice()
    {
        IReadOnlyList<VoiceInfo> cloning = engines.CloningVoices;
        return cloning.Count > 0 ? cloning[0] : throw new VoiceException(VoiceErrorKind.CloningUnavailable, "voice_id",
            $"Voice cloning needs a cloning model on this server, and none is installed; the operator can install {CloningModelHint}.");
    }

    /// <summary>Cleans the reference, stores it and records the cloned voice.</summary>
    /// <exception cref="VoiceException">No cloning model; the id is taken; the account is at its limit; the model needs a transcript none gave.</exception>
    public async Task<CustomVoice> CloneAsync(long accountId, string voiceId, string name, CloneSource source, CancellationToken cancellationToken)
    {
        VoiceInfo cloningVoice = RequireCloningVoice();
        if (engines.TryGetVoice(cloningVoice.Id, out _, out ISpeechEngine engine) && engine is IVoiceCloning { NeedsTranscript: true }
            && string.IsNullOrWhiteSpace(source.PromptText))
        {
            throw new VoiceException(VoiceErrorKind.Invalid, "clone_prompt",
                $"The cloning model here ({engine.Name}) needs the words of its reference: send clone_prompt with prompt_audio and prompt_text.");
        }
        float[] reference = VoiceReferenceAudio.Clean(source.Prompt ?? source.Recording, source.Cleaning);
        byte[] wav = VoiceReferenceAudio.ToWav(reference);
        StoredFile file = await files.SaveAsync(accountId, ReferencePurpose, voiceId + ".wav", s_referenceFileLifetime,
            (stream, token) => stream.WriteAsync(wav, token).AsTask(), cancellationToken);
        DateTimeOffset now = time.GetUtcNow();
        var voice = new CustomVoice(accountId, voiceId, VoiceKind.Cloned, name, now, now, file.Id,
            source.Prompt is null ? null : source.PromptText, cloningVoice.Id);
        await AddAsync(voice, file.Id, cancellationToken);
        return voice;
    }

    /// <summary>Designs a voice from a description (see <see cref="VoiceDesigner"/>) and records it.</summary>
    /// <param name="model">The model the voice is designed with (its preferred engines win ties), or null.</param>
    public async Task<(CustomVoice Voice, DesignedVoice Design)> DesignAsync(long accountId, string? voiceId, string prompt, CancellationToken cancellationToken,
        string? model = null)
    {
        if (voiceId is not null)
        {
            CheckVoiceId(voiceId);
        }
        var cloning = new HashSet<string>(engines.CloningVoices.Select(v => v.Id), StringComparer.OrdinalIgnoreCase);
        DesignedVoice design = VoiceDesigner.Design(prompt, [.. engines.Voices.Where(v => !cloning.Contains(v.Id))],
            engine => engines.Engines.Any(e => e.Name == engine && e is IVoiceMixing),
            catalog.Find(model ?? "") is { } definition ? [.. definition.Prefer.Select(p => p.Engine), definition.Engine] : null);
        DateTimeOffset now = time.GetUtcNow();
        var voice = new CustomVoice(accountId, voiceId ?? "ttv-voice-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10)),
            VoiceKind.Designed, prompt.Length > 200 ? prompt[..200] : prompt, now, now, null, null, design.BaseVoice, design.Controls);
        await AddAsync(voice, null, cancellationToken);
        return (voice, design);
    }

    internal async Task AddAsync(CustomVoice voice, long? fileId, CancellationToken cancellationToken)
    {
        AddVoiceResult added;
        try
        {
            added = await store.TryAddAsync(voice, options.Value.MaxVoicesPerAccount, cancellationToken);
        }
        catch
        {
            await DeleteFileAsync(voice.AccountId, fileId);
            throw;
        }
        if (added != AddVoiceResult.Added)
        {
            await DeleteFileAsync(voice.AccountId, fileId);
            throw added == AddVoiceResult.Duplicate
                ? new VoiceException(VoiceErrorKind.Duplicate, "voice_id", $"voice_id '{voice.Id}' is already used by this account (deleted ids are never reused); choose another.")
                : new VoiceException(VoiceErrorKind.LimitReached, "voice_id",
                    $"This account has {options.Value.MaxVoicesPerAccount} custom voices, its limit; delete one first.");
        }
    }

    /// <exception cref="VoiceException">No such voice for this account.</exception>
    public async Task<CustomVoice> GetAsync(long accountId, string id, CancellationToken cancellationToken = default) =>
        await store.FindAsync(accountId, id, cancellationToken) ?? throw NotFound(id);

    public Task<IReadOnlyList<CustomVoice>> ListAsync(long accountId, CancellationToken cancellationToken = default) =>
        store.ListAsync(accountId, cancellationToken);

    /// <summary>Deletes the account's voice (and its reference); the id stays taken.</summary>
    /// <param name="kind">When given, the voice must be of this kind (MiniMax's voice_type).</param>
    /// <exception cref="VoiceException">No such voice of that kind for this account.</exception>
    public async Task<CustomVoice> DeleteAsync(long accountId, string id, VoiceKind? kind, CancellationToken cancellationToken = default)
    {
        CustomVoice? existing = await store.FindAsync(accountId, id, cancellationToken);
        if (existing is null || (kind is not null && existing.Kind != kind))
        {
            throw NotFound(id);
        }
        CustomVoice deleted = await store.DeleteAsync(accountId, id, time.GetUtcNow(), cancellationToken) ?? throw NotFound(id);
        await DeleteFileAsync(accountId, deleted.ReferenceFileId);
        _references.Remove(Key(accountId, id));
        return deleted;
    }

    /// <summary>Undoes a creation whose preview failed: the voice, its reference, and its id (free again).</summary>
    public async Task UndoCreateAsync(CustomVoice voice)
    {
        await store.PurgeAsync(voice.AccountId, voice.Id, CancellationToken.None);
        await DeleteFileAsync(voice.AccountId, voice.ReferenceFileId);
        _references.Remove(Key(voice.AccountId, voice.Id));
    }

    /// <summary>Deletes voices unused for <see cref="VoiceOptions.UnusedLifetime"/>, with their references; returns how many.</summary>
    public async Task<int> SweepExpiredAsync(CancellationToken cancellationToken = default)
    {
        DateTimeOffset now = time.GetUtcNow();
        IReadOnlyList<CustomVoice> expired = await store.TakeExpiredAsync(now - options.Value.UnusedLifetime, now, cancellationToken);
        foreach (CustomVoice voice in expired)
        {
            await DeleteFileAsync(voice.AccountId, voice.ReferenceFileId);
            _references.Remove(Key(voice.AccountId, voice.Id));
        }
        return expired.Count;
    }

    /// <summary>The provider that holds the caller's voice (one made there), or null for any other voice.</summary>
    public async Task<string?> HeldAtAsync(long? accountId, SpeechRequest request, CancellationToken cancellationToken) =>
        request.VoiceMix.Count > 0 || request.Reference is not null || accountId is not long account || IsServerVoice(request.Voice)
            ? null
            : (await store.FindAsync(account, request.Voice, cancellationToken))?.Upstream;

    /// <summary>
    /// Turns a caller's custom voice id into what the pipeline speaks: a design into its base voice (or blend) with its
    /// controls added to the request's; a clone into the cloning engine's voice with its reference; a voice held at a
    /// provider into that provider's id. Names of the server's own voices and exact aliases are left alone without a
    /// look-up; another account's voice id is left alone too, so it is refused as the unknown voice it is to this caller.
    /// Each use keeps the voice alive (its last-used time).
    /// </summary>
    /// <exception cref="SpeechRequestException">The voice cannot be spoken on this route.</exception>
    public async Task<SpeechRequest> ResolveAsync(long? accountId, SpeechRequest request, UpstreamRoute? route, CancellationToken cancellationToken)
    {
        if (request.VoiceMix.Count > 0 || request.Reference is not null)
        {
            return request;
        }
        if (route is not null)
        {
            return await ResolveUpstreamAsync(accountId, request, route, cancellationToken);
        }
        if (accountId is not long account || IsServerVoice(request.Voice))
        {
            return request;
        }
        CustomVoice? voice = await store.FindAsync(account, request.Voice, cancellationToken);
        if (voice is null)
        {
            return request;
        }
        if (voice.Upstream is not null)
        {
            throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, "voice",
                $"The voice '{voice.Id}' lives at the provider '{voice.Upstream}'; use it with a model served by that provider.");
        }
        SpeechRequest resolved = voice.Kind == VoiceKind.Designed ? ApplyDesign(request, voice) : await ApplyCloneAsync(request, voice, cancellationToken);
        await TouchAsync(voice, cancellationToken);
        return resolved;
    }

    private async Task<SpeechRequest> ResolveUpstreamAsync(long? accountId, SpeechRequest request, UpstreamRoute route, CancellationToken cancellationToken)
    {
        CustomVoice? own = accountId is long account ? await store.FindAsync(account, request.Voice, cancellationToken) : null;
        if (own is not null)
        {
            if (own.Upstream != route.Provider)
            {
                throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, "voice",
                    $"The voice '{own.Id}' was made on this server; the model '{request.Model}' is served by the provider '{route.Provider}', " +
                    "which does not know it. Use it with a local model.");
            }
            await TouchAsync(own, cancellationToken);
            return request with { Voice = own.UpstreamVoiceId ?? own.Id };
        }
        // A voice another account holds at the provider is not this caller's to use through the server's key.
        if (await store.FindByUpstreamAsync(route.Provider, request.Voice, cancellationToken) is { } other && other.AccountId != accountId)
        {
            throw new SpeechRequestException(SpeechErrorKind.VoiceNotFound, "voice",
                $"The voice '{request.Voice}' does not exist." + SurfaceHints.Sentence((hints ?? SurfaceHints.None).CustomVoiceList, "list your custom voices."));
        }
        return request;
    }

    private static SpeechRequest ApplyDesign(SpeechRequest request, CustomVoice voice)
    {
        VoiceControls c = voice.Controls ?? new VoiceControls();
        VoiceModification m = request.Modification;
        return request with
        {
            Voice = voice.BaseVoice!,
            VoiceMix = c.Blend is { Count: > 0 } blend ? [.. blend.Select(p => new VoiceWeight(p.Voice, p.Weight))] : [],
            PitchSemitones = Math.Clamp(request.PitchSemitones + c.PitchSemitones, -SpeechPlanner.MaxPitchSemitones, SpeechPlanner.MaxPitchSemitones),
            Speed = Math.Clamp(request.Speed * c.Speed, SpeechPlanner.MinSpeed, SpeechPlanner.MaxSpeed),
            Modification = m with { Timbre = Math.Clamp(m.Timbre + c.Timbre, -100, 100), Intensity = Math.Clamp(m.Intensity + c.Intensity, -100, 100) },
        };
    }

    private async Task<SpeechRequest> ApplyCloneAsync(SpeechRequest request, CustomVoice voice, CancellationToken cancellationToken)
    {
        IReadOnlyList<VoiceInfo> cloning = engines.CloningVoices;
        VoiceInfo engineVoice = cloning.FirstOrDefault(v => v.Id.Equals(voice.BaseVoice, StringComparison.OrdinalIgnoreCase))
            ?? (cloning.Count > 0 ? cloning[0] : null)
            ?? throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, "voice",
                $"The voice '{voice.Id}' is a cloned voice, and no cloning model is installed on this server now; the operator can install {CloningModelHint}.");
        string key = Key(voice.AccountId, voice.Id);
        VoiceReference? reference = _references.Get(key);
        if (reference is null)
        {
            StoredFile file = await files.GetAsync(voice.AccountId, voice.ReferenceFileId ?? 0, cancellationToken);
            using var content = new MemoryStream();
            await using (Stream stored = files.OpenRead(file))
            {
                await stored.CopyToAsync(content, cancellationToken);
            }
            reference = new VoiceReference(key, VoiceReferenceAudio.FromWav(content.ToArray()), VoiceReferenceAudio.SampleRate, voice.Transcript);
            _references.Add(key, reference);
        }
        return request with { Voice = engineVoice.Id, Reference = reference };
    }

    private async Task TouchAsync(CustomVoice voice, CancellationToken cancellationToken)
    {
        DateTimeOffset now = time.GetUtcNow();
        // One write per minute of use at most: enough for an expiry counted in days.
        if (now - voice.LastUsedAt >= TimeSpan.FromMinutes(1))
        {
            await store.TouchAsync(voice.AccountId, voice.Id, now, cancellationToken);
        }
    }

    // OpenAI consents --------------------------------------------------------------------------------------------

    public async Task<VoiceConsent> AddConsentAsync(long accountId, string name, string language, StoredFile recording, CancellationToken cancellationToken)
    {
        var consent = new VoiceConsent(accountId, "cons_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)),
            name, language, recording.Id, time.GetUtcNow());
        await store.AddConsentAsync(consent, cancellationToken);
        return consent;
    }

    /// <exception cref="VoiceException">No such consent for this account.</exception>
    public async Task<VoiceConsent> GetConsentAsync(long accountId, string id, CancellationToken cancellationToken = default) =>
        await store.FindConsentAsync(accountId, id, cancellationToken)
        ?? throw new VoiceException(VoiceErrorKind.NotFound, "consent", $"There is no voice consent '{Quote(id)}'.");

    public Task<IReadOnlyList<VoiceConsent>> ListConsentsAsync(long accountId, string? after, int limit, CancellationToken cancellationToken = default) =>
        store.ListConsentsAsync(accountId, after, limit, cancellationToken);

    /// <exception cref="VoiceException">No such consent for this account.</exception>
    public async Task<VoiceConsent> RenameConsentAsync(long accountId, string id, string name, CancellationToken cancellationToken = default)
    {
        if (!await store.RenameConsentAsync(accountId, id, name, cancellationToken))
        {
            throw new VoiceException(VoiceErrorKind.NotFound, "consent", $"There is no voice consent '{Quote(id)}'.");
        }
        return await GetConsentAsync(accountId, id, cancellationToken);
    }

    public async Task DeleteConsentAsync(long accountId, string id, CancellationToken cancellationToken = default)
    {
        VoiceConsent consent = await GetConsentAsync(accountId, id, cancellationToken);
        await store.DeleteConsentAsync(accountId, id, cancellationToken);
        await DeleteFileAsync(accountId, consent.RecordingFileId);
    }

    private async Task DeleteFileAsync(long accountId, long? fileId)
    {
        if (fileId is not long id)
        {
            return;
        }
        try
        {
            await files.DeleteAsync(accountId, id, CancellationToken.None);
        }
        catch (NotFoundException)
        {
            // Already gone.
        }
        catch (Exception ex)
        {
            LogFileNotDeleted(logger, ex, id);
        }
    }

    private static string Key(long accountId, string id) => $"{accountId}/{id}";

    private static VoiceException NotFound(string id) => new(VoiceErrorKind.NotFound, "voice_id", $"There is no voice '{Quote(id)}'.");

    private static string Quote(string value) => value.Length > 60 ? value[..60] + "..." : value;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The reference file {FileId} of a deleted voice could not be deleted; it expires by itself")]
    private static partial void LogFileNotDeleted(ILogger logger, Exception exception, long fileId);

    /// <summary>The last few references used, decoded (least recently used out first).</summary>
    private sealed class ReferenceCache(int capacity)
    {
        private readonly Lock _lock = new();
        private readonly LinkedList<(string Key, VoiceReference Reference)> _order = new();
        private readonly Dictionary<string, LinkedListNode<(string, VoiceReference)>> _index = [];

        public VoiceReference? Get(string key)
        {
            lock (_lock)
            {
                if (!_index.TryGetValue(key, out var node))
                {
                    return null;
                }
                _order.Remove(node);
                _order.AddFirst(node);
                return node.Value.Item2;
            }
        }

        public void Add(string key, VoiceReference reference)
        {
            lock (_lock)
            {
                Remove(key);
                _index[key] = _order.AddFirst((key, reference));
                while (_order.Count > capacity)
                {
                    _index.Remove(_order.Last!.Value.Key);
                    _order.RemoveLast();
                }
            }
        }

        public void Remove(string key)
        {
            lock (_lock)
            {
                if (_index.Remove(key, out var node))
                {
                    _order.Remove(node);
                }
            }
        }
    }
}
