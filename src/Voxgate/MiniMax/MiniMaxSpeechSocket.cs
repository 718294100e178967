using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net.WebSockets;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Voxgate.Gateway;
using Voxgate.Gateway.Accounts;
using Voxgate.Http;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;
using Voxgate.Speech.Upstreams;

namespace Voxgate.MiniMax;

/// <summary>
/// One MiniMax WebSocket connection. Its loop reads the client's events; each task's text goes through an
/// <see cref="IncrementalText"/>, whose complete sentences are prepared at once (limited and billed: taken from the
/// key's characters per minute, and the task's hold grows to cover them, <see cref="SpeechGateway.ReserveAsync"/>;
/// text over either fails the task with 1039 or 1008) and queued for the task's speaker, which runs them through
/// <see cref="SpeechPipeline.RunIncrementalAsync"/> and sends each piece of audio as a <c>task_continued</c> event.
/// Everything a task takes (its account place, its hold, its engine turns) is given back on every way out: finish,
/// failure, the client closing or vanishing, a reader too slow, idleness, the server stopping.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "SemaphoreSlim used only through WaitAsync and Release never creates a wait handle, so Dispose has nothing to free")]
public sealed partial class MiniMaxSpeechSocket
{
    private readonly HttpContext _http;
    private readonly WebSocket _socket;
    private readonly Caller _caller;
    private readonly Services _services;
    private readonly MiniMaxWebSocketOptions _options;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly ILogger _logger;
    private SpeechTaskRun? _task;
    private long _lastHeard;

    public MiniMaxSpeechSocket(HttpContext http, WebSocket socket, Caller caller, Services services)
    {
        _http = http;
        _socket = socket;
        _caller = caller;
        _services = services;
        _options = services.Options.Value;
        _logger = services.Logger;
    }

    /// <summary>What a connection needs from the server.</summary>
    public sealed class Services(SpeechGateway gateway, SpeechPlanner planner, SpeechPipeline pipeline, IOptions<MiniMaxWebSocketOptions> options,
        IOptions<StreamingOptions> streaming, IOptions<TextOptions> text, IHostApplicationLifetime lifetime, TimeProvider time, ILogger<MiniMaxSpeechSocket> logger)
    {
        /// <summary>The longest segment an engine is given, and so the longest unfinished sentence held back.</summary>
        public int MaxSegmentCharacters { get; } = text.Value.MaxSegmentCharacters;

        public SpeechGateway Gateway { get; } = gateway;

        public SpeechPlanner Planner { get; } = planner;

        public SpeechPipeline Pipeline { get; } = pipeline;

        public IOptions<MiniMaxWebSocketOptions> Options { get; } = options;

        public StreamingOptions Streaming { get; } = streaming.Value;

        public IHostApplicationLifetime Lifetime { get; } = lifetime;

        public TimeProvider Time { get; } = time;

        public ILogger<MiniMaxSpeechSocket> Logger { get; } = logger;
    }

    private string SessionId => _http.TraceIdentifier;

    /// <summary>True once the client was dropped for not taking its audio.</summary>
    private bool TooSlow { get; set; }

    public async Task RunAsync()
    {
        CancellationToken stopping = _services.Lifetime.ApplicationStopping;
        using var gone = CancellationTokenSource.CreateLinkedTokenSource(_http.RequestAborted, stopping);
        _lastHeard = _services.Time.GetTimestamp();
        LogOpened(_logger, SessionId, _caller.AccountName ?? _caller.Kind.ToString());
        Task<Incoming>? receiving = null;
        try
        {
            await SendAsync(Event("connected_success", SessionId), gone.Token);
            receiving = ReceiveAsync();
            while (true)
            {
                SpeechTaskRun? task = _task;
                TimeSpan wait = NextWake(task);
                using var timer = CancellationTokenSource.CreateLinkedTokenSource(gone.Token);
                Task delay = Task.Delay(wait, _services.Time, timer.Token);
                // The speaker first: a task it has ended is cleared before the client's next event is read.
                Task woke = await Task.WhenAny(task?.Speaker ?? Task.Delay(Timeout.Infinite, timer.Token), receiving, delay);
                await timer.CancelAsync();
                if (gone.IsCancellationRequested)
                {
                    await EndAsync(stopping.IsCancellationRequested ? Ending.ServerStopping : Ending.ClientGone);
                    return;
                }
                if (task is not null && woke == task.Speaker)
                {
                    if (!task.Done)
                    {
                        // The speaker stopped without ending the task: the client is gone, or was dropped for not reading.
                        await EndAsync(Ending.ClientGone);
                        return;
                    }
                    // The speaker ended the task (finished, or failed); its events are sent.
                    _task = null;
                    if (task.Failed)
                    {
                        await CloseAsync(WebSocketCloseStatus.InternalServerError, "task failed");
                        return;
                    }
                    continue;
                }
                if (woke == receiving)
                {
                    Incoming message = await receiving;
                    if (message.Kind == IncomingKind.Closed)
                    {
                        await EndAsync(Ending.ClientGone);
                        return;
                    }
                    _lastHeard = _services.Time.GetTimestamp();
                    MiniMaxStatus? refusal = message.Kind switch
                    {
                        IncomingKind.TooLarge => MiniMaxStatus.Invalid(null, $"A message may have at most {_options.MaxMessageBytes} bytes."),
                        IncomingKind.Binary => MiniMaxStatus.Invalid(null, "Messages are JSON text frames."),
                        _ => await HandleAsync(message.Json, gone.Token),
                    };
                    if (refusal is not null)
                    {
                        await FailAsync(refusal, message.Kind == IncomingKind.TooLarge ? WebSocketCloseStatus.MessageTooBig : WebSocketCloseStatus.PolicyViolation);
                        return;
                    }
                    receiving = ReceiveAsync();
                    continue;
                }
                await OnTimerAsync(task);
                if (_socket.State != WebSocketState.Open)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client vanished, or was dropped for not reading.
            await EndAsync(Ending.ClientGone);
        }
        catch (Exception ex)
        {
            // The server's own failure (its database away, a bug): the task ends as failed, charged nothing, and the
            // client is told so in MiniMax's format rather than cut off.
            LogSessionFailed(_logger, ex, SessionId);
            string traceId = _task?.Admission.RequestId ?? SessionId;
            if (_task is { } task)
            {
                _task = null;
                await task.AbandonAsync(SpeechOutcomeStatus.Failed);
            }
            await TrySendFailureAsync(traceId, new MiniMaxStatus(MiniMaxStatus.UnknownError,
                $"The server failed to handle the task; nothing was charged. Retry, or report trace {traceId}."));
            await CloseAsync(WebSocketCloseStatus.InternalServerError, "server error");
        }
        finally
        {
            if (_task is { } left)
            {
                // An exception of the server's own: the task ends as failed, charged nothing.
                await left.AbandonAsync(SpeechOutcomeStatus.Failed);
            }
            if (receiving is not null && !receiving.IsCompleted)
            {
                // Closed by this side: the client's closing frame ends the read, else it is cut off.
                await Task.WhenAny(receiving, Task.Delay(TimeSpan.FromSeconds(1)));
                _socket.Abort();
                await receiving.ContinueWith(_ => { }, TaskScheduler.Default);
            }
            LogClosed(_logger, SessionId, TooSlow);
        }
    }

    /// <summary>When the loop must look again without a message: the flush of a held sentence, or the idle deadline.</summary>
    private TimeSpan NextWake(SpeechTaskRun? task)
    {
        TimeSpan heard = _services.Time.GetElapsedTime(_lastHeard);
        TimeSpan wake = _options.IdleTimeout - heard;
        if (task is not null && task.HasHeldText)
        {
            wake = TimeSpan.FromTicks(Math.Min(wake.Ticks, (_options.FlushAfter - heard).Ticks));
        }
        return wake > TimeSpan.Zero ? wake : TimeSpan.Zero;
    }

    /// <summary>Speaks a held sentence after a quiet spell; ends a task, or the connection, that has been idle too long.</summary>
    private async Task OnTimerAsync(SpeechTaskRun? task)
    {
        TimeSpan heard = _services.Time.GetElapsedTime(_lastHeard);
        if (task is not null && task.HasHeldText && heard >= _options.FlushAfter)
        {
            if (await TryAcceptAsync(task, text => text.Flush(), CancellationToken.None) is { } refusal)
            {
                await FailAsync(refusal, WebSocketCloseStatus.PolicyViolation);
            }
            return;
        }
        if (heard < _options.IdleTimeout)
        {
            return;
        }
        if (task is null)
        {
            await CloseAsync(WebSocketCloseStatus.NormalClosure, "idle");
            return;
        }
        if (task.Busy)
        {
            // The client waits for audio still being spoken: it is not idle, and its time starts again.
            _lastHeard = _services.Time.GetTimestamp();
            return;
        }
        LogIdle(_logger, SessionId, task.Admission.RequestId);
        await FailAsync(new MiniMaxStatus(MiniMaxStatus.Timeout,
            $"No event for {_options.IdleTimeout.TotalSeconds:0} s: the task timed out. Send task_continue or task_finish sooner."), WebSocketCloseStatus.NormalClosure);
    }

    /// <summary>Handles one client event; returns the refusal that fails the task (and closes the connection), if any.</summary>
    private async Task<MiniMaxStatus?> HandleAsync(JsonDocument? json, CancellationToken cancellationToken)
    {
        using JsonDocument? document = json;
        if (document is null || document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return MiniMaxStatus.Invalid(null, "Each message is a JSON object with an \"event\".");
        }
        JsonElement body = document.RootElement;
        string? name = body.TryGetProperty("event", out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        try
        {
            switch (name)
            {
                case "task_start":
                    return await StartAsync(body, cancellationToken);
                case "task_continue":
                    if (_task is not { } running)
                    {
                        return MiniMaxStatus.Invalid("event", "task_continue before task_start: start a task first.");
                    }
                    string text = JsonFields.String(body, "text") ?? throw new GatewayInputException("text", "task_continue needs \"text\".");
                    MiniMaxSpeechRequest.CheckPiece(text);
                    MiniMaxSpeech.CheckInvisibleCharacters(text);
                    if (Voxgate.Speech.Text.Ssml.SsmlDocument.IsSsml(text))
                    {
                        // An SSML document is whole in its task_continue: the text held before it is spoken first, then the document.
                        return await TryAcceptAsync(running, held => held.Flush(), cancellationToken)
                            ?? await TryAcceptAsync(running, _ => text, cancellationToken);
                    }
                    return await TryAcceptAsync(running, held => held.Append(text), cancellationToken);
                case "task_finish":
                    if (_task is not { } finishing)
                    {
                        return MiniMaxStatus.Invalid("event", "task_finish without a task.");
                    }
                    if (await TryAcceptAsync(finishing, held => held.Flush(), cancellationToken) is { } refusal)
                    {
                        return refusal;
                    }
                    finishing.Finish();
                    return null;
                default:
                    return MiniMaxStatus.Invalid("event", $"Unknown event '{name}': send task_start, task_continue or task_finish.");
            }
        }
        catch (Exception ex) when (MiniMaxStatus.ForRefusal(ex, MiniMaxSpeechRequest.FieldNames) is { } status)
        {
            return status;
        }
    }

    private async Task<MiniMaxStatus?> StartAsync(JsonElement body, CancellationToken cancellationToken)
    {
        if (_task is { Done: true } ended)
        {
            // Its speaker has sent task_finished and is ending: the client may start the next one.
            await ended.Speaker;
            _task = null;
        }
        if (_task is not null)
        {
            return MiniMaxStatus.Invalid("event", "A task is already running on this connection: one task at a time; finish it first.");
        }
        SpeechRequest request = MiniMaxSpeechRequest.ParseStreamStart(body);
        string requestId = "req_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        SpeechAdmission admission = await _services.Gateway.AdmitStreamAsync(_caller, request, requestId, cancellationToken);
        var task = new SpeechTaskRun(this, admission);
        _task = task;
        LogTaskStarted(_logger, SessionId, requestId, admission.Plan.Model.Id, admission.Plan.Voice.Id);
        await SendAsync(Event("task_started", requestId), cancellationToken);
        task.Start();
        return null;
    }

    /// <summary>Prepares and bills newly completed text, and queues it for the speaker.</summary>
    private static async Task<MiniMaxStatus?> TryAcceptAsync(SpeechTaskRun task, Func<IncrementalText, string> take, CancellationToken cancellationToken)
    {
        try
        {
            await task.AcceptAsync(take, cancellationToken);
            return null;
        }
        catch (Exception ex) when (MiniMaxStatus.ForRefusal(ex, MiniMaxSpeechRequest.FieldNames) is { } status)
        {
            return status;
        }
    }

    private enum Ending
    {
        ClientGone,
        ServerStopping,
    }

    /// <summary>The connection ends under a task: the client went (charged what it was sent), or the server stops.</summary>
    private async Task EndAsync(Ending ending)
    {
        if (_task is { } task)
        {
            _task = null;
            await task.AbandonAsync(SpeechOutcomeStatus.Cancelled);
            if (ending == Ending.ServerStopping && _socket.State == WebSocketState.Open)
            {
                await TrySendFailureAsync(task.Admission.RequestId, new MiniMaxStatus(MiniMaxStatus.UnknownError,
                    "The server is shutting down; the task ended with the audio sent so far, which alone is charged. Reconnect and retry the rest."));
            }
        }
        await CloseAsync(ending == Ending.ServerStopping ? WebSocketCloseStatus.EndpointUnavailable : WebSocketCloseStatus.NormalClosure,
            ending == Ending.ServerStopping ? "server shutting down" : "");
    }

    /// <summary>Fails the task for a reason of the client's (charged what it was sent) and closes the connection.</summary>
    private async Task FailAsync(MiniMaxStatus status, WebSocketCloseStatus close)
    {
        string traceId = SessionId;
        if (_task is { } task)
        {
            _task = null;
            traceId = task.Admission.RequestId;
            await task.AbandonAsync(SpeechOutcomeStatus.Cancelled);
            LogTaskFailed(_logger, SessionId, traceId, status.Code, status.Message);
        }
        await TrySendFailureAsync(traceId, status);
        await CloseAsync(close, "task failed");
    }

    private async Task TrySendFailureAsync(string traceId, MiniMaxStatus status)
    {
        try
        {
            await SendAsync(Event("task_failed", traceId, status), CancellationToken.None);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // Gone already: nothing to tell.
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string description)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _sending.WaitAsync(deadline.Token);
            try
            {
                await _socket.CloseOutputAsync(status, description, deadline.Token);
            }
            finally
            {
                _sending.Release();
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            _socket.Abort();
        }
    }

    /// <summary>
    /// Sends one message, one at a time. A client must take it within the reader grace period plus its size at the
    /// slowest pace audio may be read (<see cref="StreamingOptions"/>, as over HTTP); one that does not is dropped.
    /// </summary>
    private async Task SendAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken, double minBytesPerSecond = 0)
    {
        StreamingOptions pace = _services.Streaming;
        double rate = Math.Max(pace.MinReaderBytesPerSecond, minBytesPerSecond);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(pace.ReaderGracePeriod + TimeSpan.FromSeconds(json.Length / rate));
        await _sending.WaitAsync(deadline.Token);
        try
        {
            await _socket.SendAsync(json, WebSocketMessageType.Text, true, deadline.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            TooSlow = true;
            _socket.Abort();
            throw;
        }
        finally
        {
            _sending.Release();
        }
    }

    private enum IncomingKind
    {
        Json,
        Binary,
        TooLarge,
        Closed,
    }

    private sealed record Incoming(IncomingKind Kind, JsonDocument? Json = null);

    /// <summary>Reads one whole message, refusing one larger than the bound (the rest of it is never read).</summary>
    private async Task<Incoming> ReceiveAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await _socket.ReceiveAsync(buffer.GetMemory(4096), CancellationToken.None);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                return new Incoming(IncomingKind.Closed);
            }
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new Incoming(IncomingKind.Closed);
            }
            buffer.Advance(result.Count);
            if (buffer.WrittenCount > _options.MaxMessageBytes)
            {
                return new Incoming(IncomingKind.TooLarge);
            }
            if (!result.EndOfMessage)
            {
                continue;
            }
            if (result.MessageType == WebSocketMessageType.Binary)
            {
                return new Incoming(IncomingKind.Binary);
            }
            try
            {
                return new Incoming(IncomingKind.Json, JsonDocument.Parse(buffer.WrittenMemory, new JsonDocumentOptions { MaxDepth = 16 }));
            }
            catch (JsonException)
            {
                return new Incoming(IncomingKind.Json);
            }
        }
    }

    /// <summary>An event without audio: <c>{session_id, event, trace_id, base_resp}</c>.</summary>
    private byte[] Event(string name, string traceId, MiniMaxStatus? status = null, Action<Utf8JsonWriter>? more = null)
    {
        var output = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            more?.Invoke(writer);
            writer.WriteString("session_id", SessionId);
            writer.WriteString("event", name);
            writer.WriteString("trace_id", traceId);
            status ??= MiniMaxStatus.Ok;
            writer.WriteStartObject("base_resp");
            writer.WriteNumber("status_code", status.Code);
            writer.WriteString("status_msg", status.Message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }

    private static void WriteExtraInfo(Utf8JsonWriter writer, SpeechPlan plan, long audioMilliseconds, long audioBytes, int bitrate, int words, int characters)
    {
        EncoderSettings output = plan.Output;
        writer.WriteStartObject("extra_info");
        writer.WriteNumber("audio_length", audioMilliseconds);
        writer.WriteNumber("audio_sample_rate", output.SampleRate);
        writer.WriteNumber("audio_size", audioBytes);
        writer.WriteNumber("bitrate", bitrate);
        writer.WriteNumber("word_count", words);
        writer.WriteNumber("invisible_character_ratio", 0);
        writer.WriteNumber("usage_characters", characters);
        writer.WriteString("audio_format", AudioFormats.Name(output.Format));
        writer.WriteNumber("audio_channel", output.Channels);
        writer.WriteEndObject();
    }

    /// <summary>
    /// One task: its admission, its text as it arrives, and its speaker. The loop accepts text (under the lock with
    /// the speaker's reports); the speaker speaks it and sends the audio.
    /// </summary>
    [SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "A CancellationTokenSource with no timer and no WaitHandle holds nothing to release")]
    private sealed class SpeechTaskRun
    {
        private readonly MiniMaxSpeechSocket _socket;
        private readonly Channel<TextSegment> _segments = Channel.CreateUnbounded<TextSegment>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

        /// <summary>
        /// For a provider's task: the text as the client wrote it, a sentence at a time, with its billed characters.
        /// Replaced (under the lock) when the task falls through to another provider.
        /// </summary>
        private Channel<(string Text, int Characters)> _relayed = NewRelayChannel();

        /// <summary>
        /// For a provider's task with further routes: every piece accepted so far, which a route the task falls
        /// through to is given from the start (nothing of the failed route reached the client). Null without fallbacks.
        /// </summary>
        private readonly List<(string Text, int Characters)>? _accepted;

        /// <summary>The local route a provider's task fell through to: its text is then prepared for the engine as it comes.</summary>
        private SpeechPlan? _local;

        /// <summary>True once audio has gone to the client: the route that sent it is the task's, for better or worse.</summary>
        private bool _audioSent;
        private readonly CancellationTokenSource _stop = new();
        private readonly Lock _lock = new();

        /// <summary>Per queued segment: its billed characters counted from the task's start to its end, its text.</summary>
        private readonly Dictionary<int, (int CharactersToEnd, string Text)> _queued = [];
        private int _nextIndex;
        private int _textLength;
        private int _characters;
        private int _queuedCharacters;
        private int _lastQueued = -1;
        private int _delivered;
        private int _spokenCharacters;
        private TimeSpan _pauses;
        private bool _finishing;
        private bool _accepting;

        public SpeechTaskRun(MiniMaxSpeechSocket socket, SpeechAdmission admission)
        {
            _socket = socket;
            Admission = admission;
            MiniMaxWebSocketOptions options = socket._options;
            Text = new IncrementalText(socket._services.MaxSegmentCharacters, options.ClauseCharacters);
            _accepted = admission.Plan is { Route: UpstreamSynthesis, Fallback: not null } ? [] : null;
        }

        private static Channel<(string Text, int Characters)> NewRelayChannel() =>
            Channel.CreateUnbounded<(string, int)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

        public SpeechAdmission Admission { get; }

        public IncrementalText Text { get; }

        public Task Speaker { get; private set; } = Task.CompletedTask;

        /// <summary>True when the speaker ended the task with a failure (already reported to the client).</summary>
        public bool Failed { get; private set; }

        public bool HasHeldText => Text.Held.Length > 0;

        /// <summary>Text is queued or being spoken.</summary>
        public bool Busy
        {
            get
            {
                lock (_lock)
                {
                    return _queuedCharacters > 0 || _finishing;
                }
            }
        }

        public void Start() => Speaker = Task.Run(SpeakAsync);

        /// <summary>True once the speaker has ended the task (its last event is sent or being sent).</summary>
        public bool Done { get; private set; }

        /// <summary>
        /// Takes the text that is complete (<paramref name="take"/>: a piece appended, or the held text flushed),
        /// prepares it, reserves its cost (throws when the wallet cannot cover it) and queues it for the speaker.
        /// </summary>
        public async Task AcceptAsync(Func<IncrementalText, string> take, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                _accepting = true;
            }
            try
            {
                await AcceptCoreAsync(take(Text), cancellationToken);
            }
            finally
            {
                lock (_lock)
                {
                    _accepting = false;
                }
            }
        }

        private async Task AcceptCoreAsync(string text, CancellationToken cancellationToken)
        {
            if (text.Length == 0)
            {
                return;
            }
            MiniMaxWebSocketOptions options = _socket._options;
            SpeechPlanner planner = _socket._services.Planner;
            // The task's first piece starts with a short head, so that its first audio leaves before the whole sentence is spoken.
            PreparedText prepared = planner.PrepareMore(Admission.Plan, text, first: _nextIndex == 0);
            int characters = _characters + prepared.Characters;
            int held = TextMetrics.CountCharacters(Text.Held);
            if (characters + held > options.MaxTaskCharacters)
            {
                throw new GatewayInputException("text", $"A task may have at most {options.MaxTaskCharacters} characters; start another task for more.");
            }
            lock (_lock)
            {
                if (_queuedCharacters + prepared.Characters + held > options.MaxQueuedCharacters)
                {
                    throw new GatewayInputException("text",
                        $"More than {options.MaxQueuedCharacters} characters are waiting to be spoken: send text no faster than it is spoken.");
                }
            }
            TimeSpan pauses = _pauses + prepared.Pauses;
            int spoken = _spokenCharacters + prepared.SpokenCharacters;
            planner.CheckStreamBudget(Admission.Plan, pauses, spoken, characters);
            await _socket._services.Gateway.ReserveAsync(Admission, characters, cancellationToken);
            (_characters, _pauses, _spokenCharacters) = (characters, pauses, spoken);

            int before = characters - prepared.Characters;
            if (Admission.Plan.Route is UpstreamSynthesis)
            {
                // The provider prepares the text itself (pronunciations, pauses): it gets it as written.
                lock (_lock)
                {
                    _accepted?.Add((text, prepared.Characters));
                    if (_local is { } local)
                    {
                        // Fallen through to the engine: the text is prepared for it.
                        QueueSegments(planner.PrepareMore(local, text, first: _nextIndex == 0), before, prepared.Characters);
                        return;
                    }
                    _queuedCharacters += prepared.Characters;
                    _relayed.Writer.TryWrite((text, prepared.Characters));
                }
                return;
            }
            lock (_lock)
            {
                QueueSegments(prepared, before, prepared.Characters);
            }
        }

        /// <summary>Queues prepared text's segments for the engine (under the lock), each with the billed characters up to its end.</summary>
        /// <param name="before">The task's billed characters before this text.</param>
        /// <param name="billed">This text's billed characters.</param>
        private void QueueSegments(PreparedText prepared, int before, int billed)
        {
            int length = Math.Max(1, prepared.Text.Length);
            foreach (TextSegment segment in prepared.Segments)
            {
                var global = segment with { Index = _nextIndex++, Start = _textLength + segment.Start };
                int toEnd = before + (int)Math.Ceiling((double)billed * (segment.Start + segment.Length) / length);
                _queued[global.Index] = (Math.Min(toEnd, before + billed), segment.Text);
                _lastQueued = global.Index;
                _segments.Writer.TryWrite(global);
            }
            _queuedCharacters += billed;
            _textLength += prepared.Text.Length;
        }

        /// <summary>
        /// The task falls through to <paramref name="route"/>: nothing of the failed provider reached the client, so
        /// the new route is given all the text accepted so far, and what follows.
        /// </summary>
        /// <exception cref="UpstreamException"><paramref name="failure"/>, when the engine cannot take the text accepted so far.</exception>
        private void TakeOver(SpeechPlan route, UpstreamException failure)
        {
            lock (_lock)
            {
                _relayed.Writer.TryComplete();
                _delivered = 0;
                if (route.Route is UpstreamSynthesis)
                {
                    _relayed = NewRelayChannel();
                    foreach ((string Text, int Characters) piece in _accepted!)
                    {
                        _relayed.Writer.TryWrite(piece);
                    }
                    if (_finishing)
                    {
                        _relayed.Writer.TryComplete();
                    }
                    return;
                }
                _local = route;
                _queuedCharacters = 0;
                int before = 0;
                try
                {
                    foreach ((string text, int characters) in _accepted!)
                    {
                        QueueSegments(_socket._services.Planner.PrepareMore(route, text, first: _nextIndex == 0), before, characters);
                        before += characters;
                    }
                }
                catch (SpeechRequestException)
                {
                    // Checked for the provider but not speakable here after all: the provider's failure ends the task.
                    ExceptionDispatchInfo.Throw(failure);
                }
                if (_finishing)
                {
                    _segments.Writer.TryComplete();
                }
            }
        }

        /// <summary>task_finish: the text is complete; the speaker finishes the audio and the task.</summary>
        public void Finish()
        {
            lock (_lock)
            {
                _finishing = true;
                if (Admission.Plan.Route is LocalSynthesis || _local is not null)
                {
                    // A provider's task keeps the engine's queue open: it may yet fall through to it (TakeOver completes it).
                    _segments.Writer.TryComplete();
                }
                _relayed.Writer.TryComplete();
            }
        }

        /// <summary>Stops the speaker and settles: charged what the client was sent (cancelled), or nothing (failed).</summary>
        public async Task AbandonAsync(SpeechOutcomeStatus status)
        {
            lock (_lock)
            {
                _segments.Writer.TryComplete();
                _relayed.Writer.TryComplete();
            }
            if (!Done)
            {
                // Not when the speaker has ended the task: cancelling its last send would abort the connection.
                await _stop.CancelAsync();
            }
            await Speaker.ContinueWith(_ => { }, TaskScheduler.Default);
            int delivered;
            lock (_lock)
            {
                delivered = _delivered;
            }
            await Admission.CompleteAsync(new SpeechOutcome(status, delivered));
        }

        /// <summary>
        /// Speaks the task on its first route; a provider that fails before any audio reached the client hands the
        /// task to the next route (<see cref="SpeechPipeline.FallThrough"/>, the requests' own policy), which is given
        /// the text from the start. Once audio has gone out the route is the task's: a later failure ends the task.
        /// </summary>
        private async Task SpeakAsync()
        {
            SpeechPlan route = Admission.Plan;
            CancellationToken stop = _stop.Token;
            try
            {
                while (true)
                {
                    try
                    {
                        if (route.Route is UpstreamSynthesis { Upstream: { } upstream })
                        {
                            await RelayAsync(route, upstream, stop);
                        }
                        else
                        {
                            await SpeakLocallyAsync(route, stop);
                        }
                        return;
                    }
                    catch (UpstreamException ex) when (!_audioSent && !stop.IsCancellationRequested)
                    {
                        SpeechPlan next = _socket._services.Pipeline.FallThrough(route, ex, Admission); // throws when the task ends with the failure
                        TakeOver(next, ex);
                        route = next;
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Abandoned by the loop, which settles.
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                // The client is gone, or too slow and dropped: the loop notices and settles.
                _socket._socket.Abort();
            }
            catch (Exception ex) when (ex is SpeechSynthesisException or UpstreamException)
            {
                // The server's failure (or the provider's, after its audio began): nothing is charged, and the client is told so.
                Failed = true;
                Done = true;
                LogSynthesisFailed(_socket._logger, ex, _socket.SessionId, Admission.RequestId);
                await Admission.CompleteAsync(new SpeechOutcome(SpeechOutcomeStatus.Failed));
                await _socket.TrySendFailureAsync(Admission.RequestId, MiniMaxSpeech.ForFailure(ex, route, Admission.RequestId));
            }
        }

        /// <summary>The route sends the task's audio: its provider is in service, and the task is settled by it.</summary>
        private void Serving(SpeechPlan route)
        {
            _socket._services.Pipeline.RouteStarted(route);
            Admission.Serving(route);
        }

        /// <summary>Sends a piece of the task's audio; from the first, the route is the task's.</summary>
        private Task SendAudioAsync(byte[] message, double minRate, CancellationToken stop)
        {
            _audioSent = true;
            return _socket.SendAsync(message, stop, minRate);
        }

        /// <summary>The engine's task: each segment synthesised as its text arrives, under its own turn on the route's engine.</summary>
        private async Task SpeakLocallyAsync(SpeechPlan plan, CancellationToken stop)
        {
            Serving(plan);
            SpeechPlanner planner = _socket._services.Planner;
            double minRate = _socket._services.Streaming.MinReaderRate(plan.BytesPerSecond);
            IEngineTurns turns = SpeechPipeline.TurnsOn(Admission, Admission.Plan, plan);
            await foreach (SpeechChunk chunk in _socket._services.Pipeline.RunIncrementalAsync(plan, _segments.Reader.ReadAllAsync(stop), turns,
                () => planner.StreamAudioBudget(Volatile.Read(ref _characters)), () => Volatile.Read(ref _characters), stop))
            {
                if (chunk.Summary is { } summary)
                {
                    await FinishAsync(plan, summary, chunk.Audio, minRate, stop);
                    return;
                }
                bool final = false;
                int characters = 0, words = 0;
                long milliseconds = 0;
                if (chunk.Segment is { } segment)
                {
                    lock (_lock)
                    {
                        if (_queued.Remove(segment.Index, out (int CharactersToEnd, string Text) queued))
                        {
                            characters = queued.CharactersToEnd - _delivered;
                            words = MiniMaxDocuments.WordCount(queued.Text);
                        }
                        // Everything received so far is spoken: no later segment, no text held or being accepted.
                        final = segment.Index == _lastQueued && !_accepting && !HasHeldText;
                    }
                    milliseconds = (long)Math.Round((segment.End - segment.Start).TotalMilliseconds);
                }
                // A segment's end with no new audio (the encoder had already passed it on) still reports its
                // characters: what the events report is what the task is charged, even when it ends early.
                if (!chunk.Audio.IsEmpty || final || characters > 0)
                {
                    await SendAudioAsync(AudioEvent(plan, chunk.Audio, final, milliseconds, characters, words), minRate, stop);
                    Admission.AudioSent(); // measurement hook: time to first byte
                }
                if (chunk.Segment is { } produced)
                {
                    Admission.AudioProduced(produced.End); // measurement hook: audio so far
                    lock (_lock)
                    {
                        _delivered += characters;
                        _queuedCharacters = Math.Max(0, _queuedCharacters - characters);
                    }
                }
            }
        }

        /// <summary>
        /// A provider's task: the text goes to its WebSocket a sentence at a time as it is accepted, and its audio
        /// comes back as it is made, passed on as it comes. The provider charges what it was sent, so a task that ends
        /// early is charged the text forwarded to it once audio has come back.
        /// </summary>
        private async Task RelayAsync(SpeechPlan plan, UpstreamRoute route, CancellationToken stop)
        {
            double minRate = _socket._services.Streaming.MinReaderRate(plan.BytesPerSecond);
            // The first route's connection is the turn taken at admission; a fallback's is a turn on its own provider.
            using IDisposable? turn = ReferenceEquals(plan, Admission.Plan) ? null : await Admission.TakeAsync(plan, stop);
            await using UpstreamSpeechSocket upstream = await UpstreamSpeechSocket.OpenAsync(plan, route, stop);
            ChannelReader<(string Text, int Characters)> relayed;
            lock (_lock)
            {
                relayed = _relayed.Reader;
            }
            using var pumping = CancellationTokenSource.CreateLinkedTokenSource(stop);
            int forwarded = 0;
            Task pump = Task.Run(async () =>
            {
                await foreach ((string text, int characters) in relayed.ReadAllAsync(pumping.Token))
                {
                    await upstream.SendTextAsync(text, pumping.Token);
                    Interlocked.Add(ref forwarded, characters);
                }
                await upstream.FinishAsync(pumping.Token);
            }, pumping.Token);
            long bytes = 0;
            try
            {
                bool started = false;
                await foreach ((byte[] audio, bool providerFinal) in upstream.ReadAudioAsync(stop))
                {
                    if (!started)
                    {
                        started = true;
                        Serving(plan);
                    }
                    bool final;
                    lock (_lock)
                    {
                        _delivered = Volatile.Read(ref forwarded);
                        _queuedCharacters = _characters - _delivered;
                        final = providerFinal && _queuedCharacters == 0 && !_accepting && !HasHeldText;
                    }
                    if (audio.Length > 0 || final)
                    {
                        bytes += audio.Length;
                        await SendAudioAsync(AudioEvent(plan, audio, final, 0, 0, 0), minRate, stop);
                        Admission.AudioSent(); // measurement hook: time to first byte
                    }
                }
                if (!started)
                {
                    Serving(plan);
                }
                await pump;
            }
            finally
            {
                // A provider that failed (or a task that ends) stops its pump before its socket goes.
                await pumping.CancelAsync();
                await pump.ContinueWith(_ => { }, TaskScheduler.Default);
            }
            EncoderSettings output = plan.Output;
            TimeSpan duration = output.Format == AudioFormat.Pcm ? TimeSpan.FromSeconds(bytes / 2.0 / output.Channels / output.SampleRate) : TimeSpan.Zero;
            await FinishAsync(plan, new SpeechSummary(_characters, duration, bytes, output.Format, output.SampleRate, output.Channels, output.Bitrate, 0, []),
                ReadOnlyMemory<byte>.Empty, minRate, stop);
        }

        /// <summary>The encoder's last bytes (with is_final), the settlement, then task_finished.</summary>
        private async Task FinishAsync(SpeechPlan plan, SpeechSummary summary, ReadOnlyMemory<byte> audio, double minRate, CancellationToken stop)
        {
            if (!audio.IsEmpty)
            {
                await SendAudioAsync(AudioEvent(plan, audio, true, 0, 0, 0), minRate, stop);
            }
            Done = true;
            lock (_lock)
            {
                _delivered = _characters;
            }
            Admission.AudioSent(); // measurement hooks: a task whose audio all came with its last message
            Admission.AudioProduced(summary.AudioDuration);
            await Admission.CompleteAsync(new SpeechOutcome(SpeechOutcomeStatus.Succeeded, _characters));
            LogTaskFinished(_socket._logger, _socket.SessionId, Admission.RequestId, plan.Route.Capacity, _characters, (long)summary.AudioDuration.TotalMilliseconds, summary.AudioBytes);
            int bitrate = summary.Bitrate > 0 ? summary.Bitrate
                : summary.AudioDuration > TimeSpan.FromMilliseconds(100) ? (int)Math.Round(summary.AudioBytes * 8 / summary.AudioDuration.TotalSeconds) : 0;
            await _socket.SendAsync(_socket.Event("task_finished", Admission.RequestId, more: writer =>
            {
                WriteExtraInfo(writer, plan, (long)Math.Round(summary.AudioDuration.TotalMilliseconds), summary.AudioBytes, bitrate, 0, _characters);
                // Voxgate's own field: the route that served the task (as x-voxgate-route says over HTTP), a fallback perhaps.
                writer.WriteString("voxgate_route", plan.Route.Capacity);
            }), stop);
        }

        /// <summary><c>task_continued</c>: a piece of the audio in hex, with what it is.</summary>
        private byte[] AudioEvent(SpeechPlan plan, ReadOnlyMemory<byte> audio, bool final, long milliseconds, int characters, int words)
        {
            var output = new ArrayBufferWriter<byte>(audio.Length * 2 + 512);
            using (var writer = new Utf8JsonWriter(output))
            {
                writer.WriteStartObject();
                writer.WriteStartObject("data");
                writer.WriteString("audio", Convert.ToHexStringLower(audio.Span));
                writer.WriteEndObject();
                WriteExtraInfo(writer, plan, milliseconds, audio.Length, plan.Output.Bitrate, words, characters);
                writer.WriteString("session_id", _socket.SessionId);
                writer.WriteString("event", "task_continued");
                writer.WriteBoolean("is_final", final);
                writer.WriteString("trace_id", Admission.RequestId);
                writer.WriteStartObject("base_resp");
                writer.WriteNumber("status_code", 0);
                writer.WriteString("status_msg", "success");
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
            return output.WrittenSpan.ToArray();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSocket {SessionId} opened for {Caller}")]
    private static partial void LogOpened(ILogger logger, string sessionId, string caller);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSocket {SessionId} closed (dropped for reading too slowly: {TooSlow})")]
    private static partial void LogClosed(ILogger logger, string sessionId, bool tooSlow);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSocket {SessionId}: task {RequestId} started, model {Model}, voice {Voice}")]
    private static partial void LogTaskStarted(ILogger logger, string sessionId, string requestId, string model, string voice);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSocket {SessionId}: task {RequestId} finished on {Route}, {Characters} characters, {AudioMs} ms audio, {Bytes} bytes")]
    private static partial void LogTaskFinished(ILogger logger, string sessionId, string requestId, string route, int characters, long audioMs, long bytes);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSocket {SessionId}: task {RequestId} failed with {Code}: {Reason}")]
    private static partial void LogTaskFailed(ILogger logger, string sessionId, string requestId, int code, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "WebSocket {SessionId}: task {RequestId} idle too long")]
    private static partial void LogIdle(ILogger logger, string sessionId, string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "WebSocket {SessionId} failed")]
    private static partial void LogSessionFailed(ILogger logger, Exception exception, string sessionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "WebSocket {SessionId}: synthesis of task {RequestId} failed")]
    private static partial void LogSynthesisFailed(ILogger logger, Exception exception, string sessionId, string requestId);
}
