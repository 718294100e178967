using Voxgate.Speech.Synthesis;

namespace Voxgate.Speech.Upstreams;

/// <summary>
/// One kind of upstream provider, a strategy named by its <see cref="Kind"/>: how a plan is sent to such a server and
/// its audio read back as it arrives. Configuration names the kind of each provider
/// (<c>Voxgate:Upstreams:&lt;name&gt;:Kind</c>); supporting another kind of server is one more class registered as an
/// <see cref="IUpstreamSpeechProvider"/>, found by <see cref="UpstreamProviders"/>.
/// </summary>
public interface IUpstreamSpeechProvider
{
    /// <summary>The name configuration gives the kind (<c>OpenAi</c>, <c>MiniMax</c>), compared ignoring case.</summary>
    string Kind { get; }

    /// <summary>
    /// The provider's encoded audio, piece by piece as it arrives. Fails with an <see cref="UpstreamException"/>;
    /// a failure before the first piece leaves nothing sent, so the request may still go to its next route.
    /// </summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>> StreamAsync(SpeechPlan plan, UpstreamRoute route, CancellationToken cancellationToken);
}

/// <summary>The registered provider kinds by name (as <see cref="Engines.SpeechEngineRegistry"/> finds engines by theirs).</summary>
public sealed class UpstreamProviders(IEnumerable<IUpstreamSpeechProvider> providers)
{
    private readonly Dictionary<string, IUpstreamSpeechProvider> _byKind = providers.ToDictionary(p => p.Kind, StringComparer.OrdinalIgnoreCase);

    /// <summary>The provider kind configuration calls <paramref name="kind"/>, or null when none is registered.</summary>
    public IUpstreamSpeechProvider? Find(string? kind) => kind is null ? null : _byKind.GetValueOrDefault(kind);

    public IEnumerable<string> Kinds => _byKind.Keys.Order(StringComparer.Ordinal);

    /// <summary>The audio of <paramref name="route"/>'s provider kind.</summary>
    public IAsyncEnumerable<ReadOnlyMemory<byte>> StreamAsync(SpeechPlan plan, UpstreamRoute route, CancellationToken cancellationToken) =>
        (Find(route.Kind) ?? throw new InvalidOperationException($"No upstream provider kind '{route.Kind}' is registered."))
            .StreamAsync(plan, route, cancellationToken);
}
