namespace Voxgate.Speech.Synthesis;

/// <summary>
/// Writes a synthesis to a stream as it is produced; when the stream can seek (a file), the encoder's header patches
/// are applied at the end, so WAV and FLAC files carry their true lengths.
/// </summary>
public static class SpeechStreamWriter
{
    public static async Task<SpeechSummary> WriteAsync(
        IAsyncEnumerable<SpeechChunk> chunks,
        Stream destination,
        IProgress<SegmentTiming>? progress,
        CancellationToken cancellationToken)
    {
        long origin = destination.CanSeek ? destination.Position : 0;
        SpeechSummary? summary = null;
        await foreach (SpeechChunk chunk in chunks.WithCancellation(cancellationToken))
        {
            if (!chunk.Audio.IsEmpty)
            {
                await destination.WriteAsync(chunk.Audio, cancellationToken);
            }
            if (chunk.Segment is not null)
            {
                progress?.Report(chunk.Segment);
            }
            summary = chunk.Summary ?? summary;
        }
        if (summary is null)
        {
            throw new InvalidOperationException("The synthesis ended without a summary.");
        }
        if (destination.CanSeek && summary.HeaderPatches.Count > 0)
        {
            long end = destination.Position;
            foreach (Encoders.HeaderPatch patch in summary.HeaderPatches)
            {
                destination.Position = origin + patch.Offset;
                await destination.WriteAsync(patch.Bytes, cancellationToken);
            }
            destination.Position = end;
        }
        await destination.FlushAsync(cancellationToken);
        return summary;
    }
}
