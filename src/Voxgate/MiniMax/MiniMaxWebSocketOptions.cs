using Voxgate.Speech.Settings;

namespace Voxgate.MiniMax;

/// <summary>Bounds of the MiniMax WebSocket (configuration section <c>Voxgate:WebSocket</c>).</summary>
public sealed class MiniMaxWebSocketOptions
{
    public const string Section = "Voxgate:WebSocket";

    /// <summary>The largest message a client may send (a task_start with a full pronunciation dictionary fits).</summary>
    [Positive]
    public int MaxMessageBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// A task whose client has sent nothing for this long, with nothing left to speak, fails with 1001; a connection
    /// without a task is closed after it.
    /// </summary>
    [Positive]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>An unfinished sentence is spoken as it is once no text has arrived for this long.</summary>
    [Positive]
    public TimeSpan FlushAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Text accepted and not yet spoken, in characters: a client that sends faster than speech is made waits no further.</summary>
    [Positive]
    public int MaxQueuedCharacters { get; set; } = 20_000;

    /// <summary>The most characters one task may have.</summary>
    [Positive]
    public int MaxTaskCharacters { get; set; } = 100_000;

    /// <summary>From this length an unfinished sentence is spoken up to its last clause break.</summary>
    [Positive]
    public int ClauseCharacters { get; set; } = 120;

    /// <summary>WebSocket pings, so idle proxies keep the connection and a vanished peer is noticed.</summary>
    [NotNegative]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);
}
