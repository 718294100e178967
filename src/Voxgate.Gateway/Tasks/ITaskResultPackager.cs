using Voxgate.Speech.Synthesis;

namespace Voxgate.Gateway.Tasks;

/// <summary>A task's synthesised audio, once written: its summary and the timing of every segment.</summary>
public sealed record TaskAudio(SpeechSummary Summary, IReadOnlyList<SegmentTiming> Segments);

/// <summary>
/// Writes a task's result file around its audio. The surface that owns asynchronous tasks decides the layout
/// (MiniMax's: a tar of the audio, a .titles subtitle file and an .extra JSON); the audio is encoded straight into
/// the result file as synthesis runs, so nothing of hours of audio is held or copied.
/// </summary>
public interface ITaskResultPackager
{
    /// <summary>The result file's name (e.g. <c>&lt;task id&gt;.tar</c>).</summary>
    string FileName(SpeechTask task);

    /// <param name="destination">The result file, seekable, positioned at its start.</param>
    /// <param name="writeAudio">Synthesises the task into the stream it is given (from that stream's position).</param>
    Task WriteAsync(SpeechTask task, SpeechPlan plan, Stream destination, Func<Stream, CancellationToken, Task<TaskAudio>> writeAudio,
        CancellationToken cancellationToken);
}
