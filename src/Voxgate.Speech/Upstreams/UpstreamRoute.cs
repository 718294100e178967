namespace Voxgate.Speech.Upstreams;

/// <summary>
/// A request's way to an upstream provider: where, with whose key, as which model. A class, not a record, so that
/// no generated ToString can ever print the key.
/// </summary>
public sealed class UpstreamRoute(string provider, string kind, Uri baseUrl, string apiKey, bool byok, string model, TimeSpan timeout)
{
    public string Provider { get; } = provider;

    /// <summary>The provider kind, as its <see cref="IUpstreamSpeechProvider"/> names itself.</summary>
    public string Kind { get; } = kind;

    public Uri BaseUrl { get; } = baseUrl;

    /// <summary>The operator's key, or the customer's own (BYOK). Never logged.</summary>
    public string ApiKey { get; } = apiKey;

    /// <summary>True when the key is the customer's: the call is recorded but not charged.</summary>
    public bool Byok { get; } = byok;

    /// <summary>The model name the provider knows.</summary>
    public string Model { get; } = model;

    public TimeSpan Timeout { get; } = timeout;

    /// <summary>
    /// The caller's voice this route speaks with when it exists only at this provider (made there): the request has
    /// no other route, and a failure says why. Null for every other request.
    /// </summary>
    public string? HeldVoice { get; private init; }

    /// <summary>This route, for speech with a voice held at its provider.</summary>
    public UpstreamRoute ForHeldVoice(string voice) => new(Provider, Kind, BaseUrl, ApiKey, Byok, Model, Timeout) { HeldVoice = voice };

    public override string ToString() => $"{Provider} ({Kind}, {BaseUrl}, model {Model}, {(Byok ? "customer key" : "operator key")})";
}
