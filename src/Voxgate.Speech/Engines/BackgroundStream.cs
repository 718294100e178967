using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Voxgate.Speech.Engines;

/// <summary>
/// Runs a producer on a pool thread to its end at its own pace, and yields what it produces as it comes: a blocking
/// native synthesis reporting its audio through a callback, or an engine computing a segment under its engine turn,
/// whose reader starts on the first audio while the rest is computed. The producer never waits for the reader (it
/// would hold a native call or an engine turn so): what waits for the reader is at most the producer's whole output,
/// one segment's audio, which would be held anyway.
/// </summary>
public static class BackgroundStream
{
    /// <param name="produce">
    /// Produces to its end, handing each item to the sink it is given; the sink answers false once the reader is
    /// gone, and the producer should then stop at its next item.
    /// </param>
    public static async IAsyncEnumerable<T> StreamAsync<T>(Func<Func<T, bool>, CancellationToken, Task> produce,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var items = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task producer = Task.Run(async () =>
        {
            try
            {
                await produce(item => !stop.IsCancellationRequested && items.Writer.TryWrite(item), stop.Token);
                items.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                items.Writer.TryComplete(ex);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (T item in items.Reader.ReadAllAsync(cancellationToken))
            {
                yield return item;
            }
        }
        finally
        {
            // Left early (cancelled, failed, or the reader stopped): the producer stops at its next item, and nothing
            // it runs outlives the enumeration.
            await stop.CancelAsync();
            await producer;
        }
    }
}
