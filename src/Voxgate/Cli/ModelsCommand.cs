using System.CommandLine;
using System.Text.Json;
using Voxgate.Speech.Engines.Sherpa;
using Voxgate.Speech.Models;

namespace Voxgate.Cli;

/// <summary>
/// <c>voxgate models list|pull|add|remove|verify</c>: the neural models in <c>&lt;data&gt;/models</c>. Installing
/// verifies the model in a child process at once, so a running server (which watches the folder) loads it next.
/// </summary>
public static class ModelsCommand
{
    public static Command Create() => new("models", "Neural voices run by sherpa-onnx: install, list, verify, remove.")
    {
        List(), Pull(), Add(), Remove(), Verify(),
    };

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        Option<string?> data = VoxgateCli.DataOption();
        var command = new Command("list", "List installed models and the models 'pull' knows.") { json, data };
        command.SetAction(parse => Run(parse.GetValue(data), async services =>
        {
            IReadOnlyList<InstalledModel> installed = services.GetRequiredService<ModelStore>().List();
            IReadOnlyList<KnownModel> known = services.GetRequiredService<ModelInstaller>().Known();
            if (parse.GetValue(json))
            {
                await Console.Out.WriteLineAsync(JsonSerializer.Serialize(new
                {
                    installed = installed.Select(m => new
                    {
                        id = m.Manifest.Id, engine = m.Manifest.Engine, kind = m.Manifest.Kind.ToString().ToLowerInvariant(),
                        health = m.Health.ToString().ToLowerInvariant(), problem = m.Problem, speakers = m.Manifest.Speakers.Count,
                        voices = m.Manifest.Speakers.Select(s => $"{m.Manifest.Engine}:{s.Name}"),
                    }),
                    known = known.Select(k => new { id = k.Id, engine = k.Engine, description = k.Description, license = k.License, size = k.Size, url = k.Url }),
                }, ModelManifest.Json));
                return 0;
            }
            await Console.Out.WriteLineAsync($"{"INSTALLED",-34} {"ENGINE",-16} {"KIND",-7} {"SPEAKERS",8}  STATE");
            foreach (InstalledModel m in installed)
            {
                await Console.Out.WriteLineAsync(
                    $"{m.Manifest.Id,-34} {m.Manifest.Engine,-16} {m.Manifest.Kind.ToString().ToLowerInvariant(),-7} {m.Manifest.Speakers.Count,8}  {m.Health.ToString().ToLowerInvariant()}{(m.Problem is null ? "" : ": " + m.Problem)}");
            }
            await Console.Out.WriteLineAsync();
            await Console.Out.WriteLineAsync($"{"KNOWN (voxgate models pull ID)",-34} {"SIZE",-8} {"LICENCE",-14} DESCRIPTION");
            foreach (KnownModel k in known.Where(k => installed.All(m => m.Manifest.Id != k.Id)))
            {
                await Console.Out.WriteLineAsync($"{k.Id,-34} {k.Size ?? "?",-8} {k.License ?? "?",-14} {k.Description}");
            }
            return 0;
        }));
        return command;
    }

    private static Command Pull()
    {
        var id = new Argument<string>("id") { Description = "A known model's id ('voxgate models list')." };
        var force = new Option<bool>("--force") { Description = "Replace the model if it is installed." };
        Option<string?> data = VoxgateCli.DataOption();
        var command = new Command("pull", "Download a known model (resuming a partial download), check it, install and verify it.") { id, force, data };
        command.SetAction((parse, cancellationToken) => Run(parse.GetValue(data), async services =>
        {
            ProgressBar? bar = null;
            string? file = null;
            var progress = new Progress<DownloadProgress>(p =>
            {
                if (p.File != file || bar is null)
                {
                    (file, bar) = (p.File, new ProgressBar($"Downloading {p.File}", p.Total ?? 0, ProgressBar.Mebibytes));
                }
                bar.Report(p.Done);
            });
            InstalledModel model = await services.GetRequiredService<ModelInstaller>().PullAsync(parse.GetValue(id)!, parse.GetValue(force), progress, cancellationToken);
            return await VerifyAndReportAsync(services, model, cancellationToken);
        }));
        return command;
    }

    private static Command Add()
    {
        var path = new Argument<string>("path") { Description = "A model folder, or a .tar.bz2 / .tar.gz / .tar archive of one." };
        var id = new Option<string?>("--id") { Description = "The model's id (default: the folder's or archive's name)." };
        var force = new Option<bool>("--force") { Description = "Replace the model if it is installed." };
        Option<string?> data = VoxgateCli.DataOption();
        var command = new Command("add", "Install a model from a local folder or archive (for machines without internet), and verify it.") { path, id, force, data };
        command.SetAction((parse, cancellationToken) => Run(parse.GetValue(data), async services =>
        {
            InstalledModel model = await services.GetRequiredService<ModelInstaller>().AddAsync(parse.GetValue(path)!, parse.GetValue(id), parse.GetValue(force), cancellationToken);
            return await VerifyAndReportAsync(services, model, cancellationToken);
        }));
        return command;
    }

    private static Command Remove()
    {
        var id = new Argument<string>("id") { Description = "An installed model's id." };
        Option<string?> data = VoxgateCli.DataOption();
        var command = new Command("remove", "Delete an installed model (a running server unloads it once its requests finish).") { id, data };
        command.SetAction(parse => Run(parse.GetValue(data), async services =>
        {
            services.GetRequiredService<ModelStore>().Remove(parse.GetValue(id)!);
            await Console.Out.WriteLineAsync($"Removed {parse.GetValue(id)}.");
            return 0;
        }));
        return command;
    }

    private static Command Verify()
    {
        var id = new Argument<string>("id") { Description = "An installed model's id." };
        var inProcess = new Option<bool>("--in-process") { Description = "Run the trial here rather than in a child process (what the child runs).", Hidden = true };
        Option<string?> data = VoxgateCli.DataOption();
        var command = new Command("verify", "Load the model in a child process and speak a sentence; a model that fails or crashes is marked broken.") { id, inProcess, data };
        command.SetAction((parse, cancellationToken) => Run(parse.GetValue(data), async services =>
        {
            ModelStore store = services.GetRequiredService<ModelStore>();
            InstalledModel model = store.Get(parse.GetValue(id)!);
            if (!parse.GetValue(inProcess))
            {
                return await VerifyAndReportAsync(services, model, cancellationToken);
            }
            string? problem = await ModelProbe.RunAsync(model, services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ModelOptions>>().Value, cancellationToken);
            if (problem is null)
            {
                store.MarkVerified(model.Manifest.Id);
                return 0;
            }
            store.MarkBroken(model.Manifest.Id, problem);
            await Console.Error.WriteLineAsync(problem);
            return 1;
        }));
        return command;
    }

    private static async Task<int> VerifyAndReportAsync(IServiceProvider services, InstalledModel model, CancellationToken cancellationToken)
    {
        ModelVerification verification = await services.GetRequiredService<IModelVerifier>().VerifyAsync(model.Manifest.Id, cancellationToken);
        string voices = string.Join(", ", model.Manifest.Speakers.Take(6).Select(s => $"{model.Manifest.Engine}:{s.Name}"))
            + (model.Manifest.Speakers.Count > 6 ? $", ... ({model.Manifest.Speakers.Count} in all)" : "");
        if (verification.Succeeded)
        {
            await Console.Out.WriteLineAsync($"{model.Manifest.Id}: installed and verified ({model.Manifest.Kind.ToString().ToLowerInvariant()}, voices {voices}).");
            return 0;
        }
        await Console.Error.WriteLineAsync($"{model.Manifest.Id}: installed, but broken: {verification.Problem}");
        return 1;
    }

    /// <summary>Runs against the data directory's models; refusals print as one line and exit 2.</summary>
    private static async Task<int> Run(string? dataDirectory, Func<IServiceProvider, Task<int>> action)
    {
        await using ServiceProvider services = CliServices.Create(dataDirectory);
        try
        {
            return await action(services);
        }
        catch (Exception ex) when (ex is InvalidOperationException or InvalidDataException or IOException or HttpRequestException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync(ex.Message);
            return 2;
        }
    }
}
