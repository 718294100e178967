using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Voxgate.Gateway.Saturation;

/// <summary>
/// Engine time, shared by turns. Each engine (or upstream provider) computes at most
/// <see cref="CapacityOptions.MaxConcurrent"/> segments at once; a request holds a turn only while its engine computes
/// one segment, and takes another for the next, so a client that reads slowly never keeps an engine from others.
/// A new request waits for its first turn in a queue of at most <see cref="CapacityOptions.MaxQueued"/> and is refused
/// at once when that is full; a request already streaming waits ahead of new ones and is never refused, so the audio
/// of requests under way keeps flowing when the engine is busy.
/// </summary>
public sealed class EngineAdmission(IOptions<SaturationOptions> options)
{
    private readonly ConcurrentDictionary<string, EngineQueue> _queues = new(StringComparer.OrdinalIgnoreCase);

    public TimeSpan RetryAfter => TimeSpan.FromSeconds(options.Value.RetryAfterSeconds);

    /// <summary>A first turn for a new request: at once, after a wait in the queue, or null when the queue is full.</summary>
    public ValueTask<IDisposable?> TryEnterAsync(string capacity, CancellationToken cancellationToken) =>
        Queue(capacity).TryEnterAsync(cancellationToken);

    /// <summary>Another turn for a request under way: ahead of every new request, never refused.</summary>
    public ValueTask<IDisposable> EnterAsync(string capacity, CancellationToken cancellationToken) =>
        Queue(capacity).EnterContinuingAsync(cancellationToken);

    /// <summary>Turns in use and requests waiting, per capacity that has been used.</summary>
    public IReadOnlyDictionary<string, EngineLoad> Load =>
        _queues.ToDictionary(q => q.Key, q => q.Value.Load, StringComparer.OrdinalIgnoreCase);

    private EngineQueue Queue(string capacity) => _queues.GetOrAdd(capacity, name =>
    {
        CapacityOptions settings = options.Value.Engines.GetValueOrDefault(name) ?? options.Value.Default;
        return new EngineQueue(settings.MaxConcurrent > 0 ? settings.MaxConcurrent : Environment.ProcessorCount, Math.Max(0, settings.MaxQueued));
    });
}

/// <summary>One capacity's turns at a moment.</summary>
/// <param name="Active">Turns held (segments being computed).</param>
/// <param name="Continuing">Requests under way waiting for their next turn.</param>
/// <param name="New">New requests waiting for their first turn.</param>
public readonly record struct EngineLoad(int Limit, int Active, int Continuing, int New);

/// <summary>The turns of one engine: a count, and two queues of waiters served in order, continuing ones first.</summary>
internal sealed class EngineQueue(int limit, int queueLimit)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource<IDisposable>> _continuing = new();
    private readonly LinkedList<TaskCompletionSource<IDisposable>> _new = new();
    private int _active;

    public EngineLoad Load
    {
        get
        {
            lock (_lock)
            {
                return new EngineLoad(limit, _active, _continuing.Count, _new.Count);
            }
        }
    }

    public async ValueTask<IDisposable?> TryEnterAsync(CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource<IDisposable>> waiter;
        lock (_lock)
        {
            if (_active < limit && _continuing.Count == 0 && _new.Count == 0)
            {
                _active++;
                return new Turn(this);
            }
            if (_new.Count >= queueLimit)
            {
                return null;
            }
            waiter = _new.AddLast(NewWaiter());
        }
        return await WaitAsync(waiter, cancellationToken);
    }

    public async ValueTask<IDisposable> EnterContinuingAsync(CancellationToken cancellationToken)
    {
        LinkedListNode<TaskCompletionSource<IDisposable>> waiter;
        lock (_lock)
        {
            if (_active < limit && _continuing.Count == 0)
            {
                _active++;
                return new Turn(this);
            }
            waiter = _continuing.AddLast(NewWaiter());
        }
        return await WaitAsync(waiter, cancellationToken);
    }

    /// <summary>Hands the turn to the first waiter (continuing requests first), or returns it to the pool.</summary>
    private void Release()
    {
        TaskCompletionSource<IDisposable>? next;
        lock (_lock)
        {
            LinkedList<TaskCompletionSource<IDisposable>>? queue = _continuing.Count > 0 ? _continuing : _new.Count > 0 ? _new : null;
            if (queue is null)
            {
                _active--;
                return;
            }
            next = queue.First!.Value;
            queue.RemoveFirst();
        }
        next.SetResult(new Turn(this));
    }

    private async ValueTask<IDisposable> WaitAsync(LinkedListNode<TaskCompletionSource<IDisposable>> waiter, CancellationToken cancellationToken)
    {
        // A waiter cancelled while still queued leaves the queue; one already handed a turn keeps it (and returns it).
        await using (cancellationToken.Register(() =>
        {
            lock (_lock)
            {
                if (waiter.List is { } queue)
                {
                    queue.Remove(waiter);
                    waiter.Value.TrySetCanceled(cancellationToken);
                }
            }
        }))
        {
            return await waiter.Value.Task;
        }
    }

    private static TaskCompletionSource<IDisposable> NewWaiter() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A turn, returned once however often it is disposed.</summary>
    private sealed class Turn(EngineQueue queue) : IDisposable
    {
        private int _returned;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
            {
                queue.Release();
            }
        }
    }
}
