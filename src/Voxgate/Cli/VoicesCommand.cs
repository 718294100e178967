using System.CommandLine;
using System.Text.Json;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Engines;

namespace Voxgate.Cli;

/// <summary><c>voxgate voices</c>: the voices this machine can speak with, and the names that map to them.</summary>
public static class VoicesCommand
{
    public static Command Create()
    {
        var language = new Option<string?>("--language") { Description = "Only voices of this language or its sub-tags (en keeps en-us)." };
        var engine = new Option<string?>("--engine") { Description = "Only voices of this engine (flite, espeak)." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        Option<string?> data = VoxgateCli.DataOption();
        var command = new Command("voices", "List the available voices.") { language, engine, json, data };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using ServiceProvider services = await CliServices.CreateWithModelsAsync(parse.GetValue(data), cancellationToken);
            SpeechEngineRegistry registry = services.GetRequiredService<SpeechEngineRegistry>();
            ModelCatalog catalog = services.GetRequiredService<ModelCatalog>();
            string? tag = parse.GetValue(language);
            string? engineName = parse.GetValue(engine);
            VoiceInfo[] voices = [.. registry.Voices.Where(v =>
                (tag is null || v.Language.Equals(tag, StringComparison.OrdinalIgnoreCase) || v.Language.StartsWith(tag + "-", StringComparison.OrdinalIgnoreCase))
                && (engineName is null || v.Engine.Equals(engineName, StringComparison.OrdinalIgnoreCase)))];
            if (parse.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(voices.Select(v => new
                {
                    id = v.Id, engine = v.Engine, name = v.Name, language = v.Language,
                    gender = v.Gender.ToString().ToLowerInvariant(), sample_rate = v.SampleRate, aliases = catalog.OtherNamesOf(v),
                })));
                return 0;
            }
            await Console.Out.WriteLineAsync($"{"ID",-28} {"LANGUAGE",-14} {"GENDER",-8} {"RATE",6}  ALIASES");
            foreach (VoiceInfo v in voices)
            {
                await Console.Out.WriteLineAsync(
                    $"{v.Id,-28} {v.Language,-14} {v.Gender.ToString().ToLowerInvariant(),-8} {v.SampleRate,6}  {string.Join(",", catalog.OtherNamesOf(v))}");
            }
            foreach (EngineLoadFailure failure in registry.Failures)
            {
                await Console.Error.WriteLineAsync($"engine {failure.Engine} unavailable: {failure.Reason}");
            }
            await Console.Error.WriteLineAsync($"{voices.Length} voices");
            return 0;
        });
        return command;
    }
}
