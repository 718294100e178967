using Voxgate.Speech.Synthesis;

namespace Voxgate.Gateway.Tasks;

/// <summary>
/// Writes a finished task's result file from its audio, subtitles and summary. The surface that owns asynchronous
/// tasks decides the layout (MiniMax's: a tar of the audio, a .titles subtitle file and an .extra JSON).
/// </summary>
public interface ITaskResultPackager
{
    /// <summary>The result file's name (e.g. <c>&lt;task id&gt;.tar</c>).</summary>
    string FileName(SpeechTask task);

    Task WriteAsync(SpeechTask task, SpeechPlan plan, string audioPath, SpeechSummary summary, IReadOnlyList<SegmentTiming> segments,
        Stream destination, CancellationToken cancellationToken);
}
