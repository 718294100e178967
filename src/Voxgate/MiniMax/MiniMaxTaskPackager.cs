using System.Formats.Tar;
using System.Text;
using System.Text.Json;
using Voxgate.Gateway.Tasks;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;

namespace Voxgate.MiniMax;

/// <summary>
/// An asynchronous result as MiniMax delivers it: <c>&lt;task_id&gt;.tar</c> holding the audio, <c>.titles</c> (the
/// sentence subtitles, times in milliseconds) and <c>.extra</c> (extra_info and the volume). The audio is the tar's
/// first entry and is encoded into it directly: its header, whose size field is only known at the end, is written
/// last over a reserved block. Memory stays bounded and the audio is never copied, whatever its length.
/// </summary>
public sealed class MiniMaxTaskPackager : ITaskResultPackager
{
    private const int Block = 512;

    public string FileName(SpeechTask task) => $"{task.Id}.tar";

    public async Task WriteAsync(SpeechTask task, SpeechPlan plan, Stream destination, Func<Stream, CancellationToken, Task<TaskAudio>> writeAudio,
        CancellationToken cancellationToken)
    {
        long header = destination.Position;
        await destination.WriteAsync(new byte[Block], cancellationToken);
        TaskAudio audio = await writeAudio(destination, cancellationToken);
        long size = destination.Position - header - Block;
        await destination.WriteAsync(new byte[(Block - size % Block) % Block], cancellationToken);
        long end = destination.Position;
        destination.Position = header;
        await destination.WriteAsync(UstarHeader($"{task.Id}.{AudioFormats.FileExtension(audio.Summary.Format)}", size, DateTimeOffset.UtcNow), cancellationToken);
        destination.Position = end;

        SpeechSummary summary = audio.Summary;
        await using var tar = new TarWriter(destination, TarEntryFormat.Ustar, leaveOpen: true);
        await WriteJsonAsync(tar, $"{task.Id}.titles", MiniMaxDocuments.Subtitles(plan.Text, audio.Segments, summary.AudioDuration, words: false), cancellationToken);
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

    /// <summary>
    /// A POSIX ustar header for a regular file (mode 0644, owner 0): octal fields, NUL-terminated; a size of 8 GiB or
    /// more in the base-256 form GNU tar and .NET read; the checksum summed with its own field as spaces.
    /// </summary>
    internal static byte[] UstarHeader(string name, long size, DateTimeOffset modified)
    {
        byte[] header = new byte[Block];
        Encoding.ASCII.GetBytes(name).AsSpan(0, Math.Min(name.Length, 100)).CopyTo(header);
        Octal(header, 100, 8, 420); // 0644
        Octal(header, 108, 8, 0);
        Octal(header, 116, 8, 0);
        if (size < 1L << 33)
        {
            Octal(header, 124, 12, size);
        }
        else
        {
            header[124] = 0x80;
            for (int i = 0; i < 8; i++)
            {
                header[135 - i] = (byte)(size >> (8 * i));
            }
        }
        Octal(header, 136, 12, modified.ToUnixTimeSeconds());
        header[156] = (byte)'0';
        "ustar\0"u8.CopyTo(header.AsSpan(257));
        "00"u8.CopyTo(header.AsSpan(263));
        header.AsSpan(148, 8).Fill((byte)' ');
        int checksum = header.Sum(b => b);
        Octal(header, 148, 7, checksum);
        header[155] = (byte)' ';
        return header;
    }

    /// <summary>Writes <paramref name="value"/> in octal, zero-padded to the field's width less its NUL terminator.</summary>
    private static void Octal(byte[] header, int offset, int width, long value) =>
        Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(width - 1, '0') + "\0").CopyTo(header, offset);
}
