using System.CommandLine;
using System.Text.Json;
using Voxgate.Speech.Watermarking;

namespace Voxgate.Cli;

/// <summary>
/// <c>voxgate watermark detect FILE</c>: says whether a file carries Voxgate's machine-generated marks (the AIGC tag,
/// the end chime). Exit code 0 when it does, 1 when it does not, 2 when the file cannot be read.
/// </summary>
public static class WatermarkCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "An audio file: mp3, aac, wav, flac, opus, or raw 16-bit PCM (.pcm, .raw)." };
        var pcmRate = new Option<int?>("--pcm-rate") { Description = "Read the file as raw PCM at this sample rate (default 24000 for .pcm and .raw files)." };
        var pcmChannels = new Option<int>("--pcm-channels") { Description = "Channels of raw PCM.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a sentence." };
        var detect = new Command("detect", "Detect the machine-generated watermark in an audio file.") { file, pcmRate, pcmChannels, json };
        detect.SetAction(async (parse, cancellationToken) =>
        {
            FileInfo path = parse.GetValue(file)!;
            WatermarkReport report;
            try
            {
                await using FileStream stream = path.OpenRead();
                // Raw PCM has no header to recognise it by: it is read as such when named so or described.
                bool raw = parse.GetValue(pcmRate) is not null || path.Extension.ToLowerInvariant() is ".pcm" or ".raw";
                report = WatermarkDetector.Detect(stream, raw ? new RawPcmFormat(parse.GetValue(pcmRate) ?? 24000, parse.GetValue(pcmChannels)) : null);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or NotSupportedException)
            {
                await Console.Error.WriteLineAsync($"{path}: {ex.Message}");
                return 2;
            }
            if (parse.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    file = path.FullName,
                    machine_generated = report.MachineGenerated,
                    tag = report.Tag,
                    chime = report.Chime,
                    container = report.Container.ToString().ToLowerInvariant(),
                }));
            }
            else
            {
                string marks = string.Join(" and ", new[]
                {
                    report.Tag is null ? null : $"tag AIGC=\"{report.Tag}\"",
                    report.Chime ? "the audible end marker" : null,
                }.OfType<string>());
                await Console.Out.WriteLineAsync(report.MachineGenerated
                    ? $"{path}: machine-generated ({marks})"
                    : $"{path}: no Voxgate watermark found");
            }
            return report.MachineGenerated ? 0 : 1;
        });
        return new Command("watermark", "Work with the machine-generated watermark (aigc_watermark).") { detect };
    }
}
