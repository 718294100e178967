using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Voxgate.Speech.Models;

/// <summary>Whether a model has passed its trial load in a child process.</summary>
public enum ModelHealth
{
    /// <summary>Installed (or changed) since it was last verified.</summary>
    Unverified,

    Verified,

    /// <summary>Its trial load failed or crashed; the reason is kept. The server never loads it.</summary>
    Broken,
}

/// <summary>An installed model: its manifest, folder, and verification state.</summary>
/// <param name="Fingerprint">A digest of the folder's files: it changes when any file does.</param>
public sealed record InstalledModel(ModelManifest Manifest, string Directory, ModelHealth Health, string? Problem, string Fingerprint);

/// <summary>
/// The installed models: <c>&lt;data&gt;/models/&lt;id&gt;/</c>, each with its <c>voxgate-model.json</c>, and the
/// verification state beside it (<c>.voxgate-state.json</c>), tied to a fingerprint of the folder's files so that a
/// changed model is verified again.
/// </summary>
public sealed class ModelStore(IOptions<ModelOptions> options)
{
    private const string StateFile = ".voxgate-state.json";

    private sealed record State(string Fingerprint, ModelHealth Health, string? Problem, DateTimeOffset At);

    public string Root => options.Value.Directory;

    public IReadOnlyList<InstalledModel> List()
    {
        if (!System.IO.Directory.Exists(Root))
        {
            return [];
        }
        var models = new List<InstalledModel>();
        foreach (string directory in System.IO.Directory.EnumerateDirectories(Root).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(directory).StartsWith('.') || !File.Exists(Path.Combine(directory, ModelManifest.FileName)))
            {
                continue; // downloads and staging folders, or something that is not a model
            }
            models.Add(Read(directory));
        }
        return models;
    }

    public InstalledModel? Find(string id) =>
        IsValidId(id) && File.Exists(Path.Combine(Root, id, ModelManifest.FileName)) ? Read(Path.Combine(Root, id)) : null;

    /// <exception cref="InvalidOperationException">No such model.</exception>
    public InstalledModel Get(string id) => Find(id) ?? throw new InvalidOperationException($"No model '{id}' is installed ('voxgate models list' shows them).");

    public void Remove(string id)
    {
        InstalledModel model = Get(id);
        System.IO.Directory.Delete(model.Directory, recursive: true);
    }

    public void MarkVerified(string id) => Write(Get(id), ModelHealth.Verified, null);

    public void MarkBroken(string id, string problem) => Write(Get(id), ModelHealth.Broken, problem);

    /// <summary>Ids are folder names: letters, digits, dots, dashes and underscores.</summary>
    public static bool IsValidId(string id) =>
        id.Length is > 0 and <= 100 && id[0] != '.' && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    private static void Write(InstalledModel model, ModelHealth health, string? problem) =>
        File.WriteAllText(Path.Combine(model.Directory, StateFile),
            JsonSerializer.Serialize(new State(Fingerprint(model.Directory), health, problem, DateTimeOffset.UtcNow), ModelManifest.Json));

    private static InstalledModel Read(string directory)
    {
        ModelManifest manifest;
        try
        {
            manifest = ModelManifest.Load(directory);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or IOException)
        {
            var placeholder = new ModelManifest
            {
                Id = Path.GetFileName(directory), Engine = Path.GetFileName(directory), Kind = ModelKind.Vits, Files = new ModelFiles { Model = "", Tokens = "" },
            };
            return new InstalledModel(placeholder, directory, ModelHealth.Broken, $"{ModelManifest.FileName} cannot be read: {ex.Message}", "");
        }
        string fingerprint = Fingerprint(directory);
        string statePath = Path.Combine(directory, StateFile);
        State? state = File.Exists(statePath) ? JsonSerializer.Deserialize<State>(File.ReadAllText(statePath), ModelManifest.Json) : null;
        return state is not null && state.Fingerprint == fingerprint
            ? new InstalledModel(manifest, directory, state.Health, state.Problem, fingerprint)
            : new InstalledModel(manifest, directory, ModelHealth.Unverified, null, fingerprint);
    }

    /// <summary>The files' names, sizes and modification times, hashed: any change to the model makes it unverified.</summary>
    private static string Fingerprint(string directory)
    {
        var text = new StringBuilder();
        foreach (string file in System.IO.Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(file) == StateFile)
            {
                continue;
            }
            var info = new FileInfo(file);
            text.Append(Path.GetRelativePath(directory, file)).Append('|').Append(info.Length).Append('|').Append(info.LastWriteTimeUtc.Ticks).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
