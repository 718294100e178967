using Voxgate.Speech.Native;

namespace Voxgate.Tests.Engines;

/// <summary>eSpeak NG's process-wide lock belongs to its binding: a session holds it, and nothing reaches the library without one.</summary>
public class EspeakSessionTests
{
    [Fact]
    public async Task ASecondSessionWaitsUntilTheFirstIsDisposed()
    {
        EspeakNg.Session first = await EspeakNg.Session.EnterAsync(CancellationToken.None);
        Task<EspeakNg.Session> second = EspeakNg.Session.EnterAsync(CancellationToken.None);
        bool openedEarly = second.IsCompleted;
        Assert.True(first.SampleRate > 0);
        first.Dispose();
        using EspeakNg.Session held = await second; // always taken and released, so a failure here cannot block other tests
        Assert.False(openedEarly, "a second session must not open while the first holds the library");
        Assert.NotEmpty(held.ListVoices());
    }

    [Fact]
    public async Task ADisposedSessionRefusesCallsAndReleasesTheLockOnce()
    {
        EspeakNg.Session session = EspeakNg.Session.Enter();
        session.Dispose();
        session.Dispose(); // a second dispose must not release the lock another session holds
        Assert.Throws<ObjectDisposedException>(() => session.ListVoices());
        Assert.Throws<ObjectDisposedException>(() => session.TextToPhonemes("hello"));
        using EspeakNg.Session next = EspeakNg.Session.Enter();
        using var cancel = new CancellationTokenSource();
        Task<EspeakNg.Session> another = EspeakNg.Session.EnterAsync(cancel.Token);
        bool openedEarly = another.IsCompleted;
        await cancel.CancelAsync();
        try
        {
            // Awaited while the lock is still held, so it ends cancelled (unless it wrongly got in): no session leaks.
            (await another).Dispose();
        }
        catch (OperationCanceledException)
        {
        }
        Assert.False(openedEarly, "one dispose too many would let two sessions in");
    }

    [Fact]
    public async Task WaitingForTheLibraryCanBeCancelled()
    {
        using EspeakNg.Session first = EspeakNg.Session.Enter();
        using var cancel = new CancellationTokenSource();
        Task<EspeakNg.Session> waiting = EspeakNg.Session.EnterAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }
}
