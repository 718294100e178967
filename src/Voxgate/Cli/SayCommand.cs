using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Cli;

/// <summary><c>voxgate say</c>: synthesises text to a file offline, through the same pipeline the server uses.</summary>
public static class SayCommand
{
    public static Command Create()
    {
        var text = new Argument<string?>("text") { Description = "Text to speak (or use --file).", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file", "-f") { Description = "Read the text from this file ('-' for stdin)." };
        var voice = new Option<string>("--voice") { Description = "Voice id or alias (see 'voxgate voices').", DefaultValueFactory = _ => "alloy" };
        var model = new Option<string>("--model") { Description = "Catalog model id or alias.", DefaultValueFactory = _ => "tts-1" };
        var format = new Option<string?>("--format") { Description = "mp3, opus, aac, flac, wav or pcm (default: from --output's extension, else mp3)." };
        var speed = new Option<double>("--speed") { Description = "0.25 to 4.0.", DefaultValueFactory = _ => 1.0 };
        var watermark = new Option<bool>("--watermark") { Description = "Mark the audio as machine-generated (AIGC tag and end chime)." };
        var sampleRate = new Option<int?>("--sample-rate") { Description = "Output sample rate in Hz (default 24000)." };
        var output = new Option<string?>("--output", "-o") { Description = "Output file ('-' for stdout; default speech.<format>)." };
        Option<string?> data = VoxgateCli.DataOption();
        var command = new Command("say", "Synthesise text to an audio file, offline.")
        {
            text, file, voice, model, format, speed, watermark, sampleRate, output, data,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            string? input = parse.GetValue(file) is { } path
                ? (path == "-" ? await Console.In.ReadToEndAsync(cancellationToken) : await File.ReadAllTextAsync(path, cancellationToken))
                : parse.GetValue(text);
            if (string.IsNullOrEmpty(input))
            {
                await Console.Error.WriteLineAsync("Nothing to say: give the text as an argument or with --file.");
                return 2;
            }
            string? outputPath = parse.GetValue(output);
            if (!TryChooseFormat(parse.GetValue(format), outputPath, out AudioFormat audioFormat))
            {
                await Console.Error.WriteLineAsync($"Unknown format '{parse.GetValue(format)}'; use one of {string.Join(", ", AudioFormats.All.Select(AudioFormats.Name))}.");
                return 2;
            }
            outputPath ??= $"speech.{AudioFormats.FileExtension(audioFormat)}";
            var request = new SpeechRequest
            {
                Model = parse.GetValue(model)!,
                Voice = parse.GetValue(voice)!,
                Input = input,
                Format = audioFormat,
                Speed = parse.GetValue(speed),
                Watermark = parse.GetValue(watermark),
                SampleRate = parse.GetValue(sampleRate),
            };
            try
            {
                if (VoiceBlend.TryParse(request.Voice, "voice", out IReadOnlyList<VoiceWeight> mix))
                {
                    request = request with { Voice = mix[0].Voice, VoiceMix = mix };
                }
            }
            catch (SpeechRequestException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return 2;
            }
            await using ServiceProvider services = await CliServices.CreateWithModelsAsync(parse.GetValue(data), cancellationToken);
            return await SayAsync(services, request, outputPath, cancellationToken);
        });
        return command;
    }

    private static async Task<int> SayAsync(IServiceProvider services, SpeechRequest request, string outputPath, CancellationToken cancellationToken)
    {
        SpeechPlan plan;
        try
        {
            plan = services.GetRequiredService<SpeechPlanner>().Plan(request);
        }
        catch (SpeechRequestException ex)
        {
            await Console.Error.WriteLineAsync($"{ex.Parameter}: {ex.Message}");
            return 2;
        }
        var clock = Stopwatch.StartNew();
        var bar = new ProgressBar("Synthesising", plan.Text.Segments.Count);
        var progress = new Progress<SegmentTiming>(segment => bar.Report(segment.Index + 1));
        SpeechPipeline pipeline = services.GetRequiredService<SpeechPipeline>();
        try
        {
            await using Stream destination = outputPath == "-" ? Console.OpenStandardOutput() : File.Create(outputPath);
            SpeechSummary summary = await SpeechStreamWriter.WriteAsync(pipeline.RunAsync(plan, cancellationToken), destination, progress, cancellationToken);
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{(outputPath == "-" ? "stdout" : outputPath)}: {summary.AudioDuration.TotalSeconds:0.00} s of {AudioFormats.Name(summary.Format)} " +
                $"at {summary.SampleRate} Hz, voice {plan.Voice.Id}, {summary.Characters} characters in {summary.Segments} segments, " +
                $"{clock.Elapsed.TotalSeconds:0.00} s"));
            return 0;
        }
        catch (SpeechSynthesisException ex)
        {
            await Console.Error.WriteLineAsync($"Synthesis failed: {ex.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("Cancelled.");
            return 130;
        }
    }

    private static bool TryChooseFormat(string? name, string? outputPath, out AudioFormat format)
    {
        if (name is not null)
        {
            return AudioFormats.TryParse(name, out format);
        }
        format = AudioFormats.FromFileExtension(Path.GetExtension(outputPath ?? "")) ?? AudioFormat.Mp3;
        return true;
    }
}
