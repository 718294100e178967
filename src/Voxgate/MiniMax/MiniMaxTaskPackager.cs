using System.Formats.Tar;
using System.Text.Json;
using Voxgate.Gateway.Tasks;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;

namespace Voxgate.MiniMax;

/// <summary>
/// An asynchronous result as MiniMax delivers it: <c>&lt;task_id&gt;.tar</c> holding the audio, <c>.titles</c> (the
/// sentence subtitles, times in milliseconds) and <c>.extra</c> (extra_info and the volume). The audio is copied from
/// its file into the tar, so memory stays bounded whatever its length.
/// </summary>
public sealed class MiniMaxTaskPackager : ITaskResultPackager
{
    public string FileName(SpeechTask task) => $"{task.Id}.tar";

    public async Task WriteAsync(SpeechTask task, SpeechPlan plan, string audioPath, SpeechSummary summary, IReadOnlyList<SegmentTiming> segments,
        Stream destination, CancellationToken cancellationToken)
    {
        await using var tar = new TarWriter(destination, TarEntryFormat.Ustar, leaveOpen: true);
        await using (var audio = new FileStream(audioPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous))
        {
            await tar.WriteEntryAsync(new UstarTarEntry(TarEntryType.RegularFile, $"{task.Id}.{AudioFormats.FileExtension(summary.Format)}") { DataStream = audio },
                cancellationToken);
        }
        await WriteJsonAsync(tar, $"{task.Id}.titles", MiniMaxDocuments.Subtitles(plan.Text, segments, summary.AudioDuration, words: false), cancellationToken);
        ExtraInfo extra = ExtraInfo.From(plan, summary);
        await WriteJsonAsync(tar, $"{task.Id}.extra", new Dictionary<string, object>
        {
            ["audio_length"] = extra.AudioLength,
            ["audio_sample_rate"] = extra.AudioSampleRate,
            ["audio_size"] = extra.AudioSize,
            ["bitrate"] = extra.Bitrate,
            ["word_count"] = extra.WordCount,
            ["invisible_character_ratio"] = extra.InvisibleCharacterRatio,
            ["usage_characters"] = extra.UsageCharacters,
            ["audio_format"] = extra.AudioFormat,
            ["audio_channel"] = extra.AudioChannel,
            ["vol"] = plan.Request.Volume,
        }, cancellationToken);
    }

    private static async Task WriteJsonAsync(TarWriter tar, string name, object value, CancellationToken cancellationToken)
    {
        using var json = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(value, MiniMaxJson.Options));
        await tar.WriteEntryAsync(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = json }, cancellationToken);
    }
}
