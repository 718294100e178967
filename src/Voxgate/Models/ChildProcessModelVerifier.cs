using System.Diagnostics;
using Microsoft.Extensions.Options;
using Voxgate.Gateway.Storage;
using Voxgate.Speech.Models;

namespace Voxgate.Models;

/// <summary>
/// Verifies a model by running <c>voxgate models verify ID --in-process</c> as a child process on the same data
/// directory: the child loads the model and speaks a sentence, and records the verdict itself; a crash (a corrupt
/// model aborts the process that loads it) is recorded here, with the child's last words. The child's stderr, where
/// sherpa-onnx writes its reasons, goes into this process's structured log line by line.
/// </summary>
public sealed partial class ChildProcessModelVerifier(
    ModelStore store,
    IOptions<ModelOptions> models,
    IOptions<StorageOptions> storage,
    ILogger<ChildProcessModelVerifier> logger) : IModelVerifier
{
    public async Task<ModelVerification> VerifyAsync(string modelId, CancellationToken cancellationToken)
    {
        ProcessStartInfo info = VoxgateExecutable.StartInfo(["models", "verify", modelId, "--in-process", "--data", storage.Value.DataDirectory]);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        if (models.Value.LibraryDirectory is { Length: > 0 } library)
        {
            info.Environment["VOXGATE_SHERPA_DIR"] = library;
        }
        using Process child = Process.Start(info) ?? throw new InvalidOperationException("could not start the model verifier");
        var lastLines = new Queue<string>();
        child.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line)
            {
                LogChildOutput(logger, modelId, line);
                lock (lastLines)
                {
                    lastLines.Enqueue(line);
                    if (lastLines.Count > 5)
                    {
                        lastLines.Dequeue();
                    }
                }
            }
        };
        child.OutputDataReceived += (_, _) => { };
        child.BeginErrorReadLine();
        child.BeginOutputReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(models.Value.VerifyTimeout);
        try
        {
            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(CancellationToken.None);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            return Broken(modelId, $"its trial load did not finish within {models.Value.VerifyTimeout.TotalSeconds:0} s");
        }
        child.WaitForExit(); // drains the redirected output
        string said;
        lock (lastLines)
        {
            said = string.Join(" | ", lastLines);
        }
        return child.ExitCode switch
        {
            0 => new ModelVerification(true, null),
            1 => new ModelVerification(false, store.Find(modelId)?.Problem ?? said),
            int code => Broken(modelId, $"its trial load crashed the verifying process ({Describe(code)}){(said.Length > 0 ? ": " + said : "")}"),
        };
    }

    private ModelVerification Broken(string modelId, string problem)
    {
        store.MarkBroken(modelId, problem);
        LogBroken(logger, modelId, problem);
        return new ModelVerification(false, problem);
    }

    /// <summary>A shell-style exit code: above 128 it is 128 + the signal that killed the process.</summary>
    private static string Describe(int code) => code switch
    {
        134 => "exit code 134, SIGABRT",
        139 => "exit code 139, SIGSEGV",
        137 => "exit code 137, SIGKILL",
        > 128 => $"exit code {code}, signal {code - 128}",
        _ => $"exit code {code}",
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {ModelId} verifier: {Line}")]
    private static partial void LogChildOutput(ILogger logger, string modelId, string line);

    [LoggerMessage(Level = LogLevel.Error, Message = "Model {ModelId} is broken and will not be loaded: {Problem}")]
    private static partial void LogBroken(ILogger logger, string modelId, string problem);
}

/// <summary>How to start this same program again as a child: its apphost, or <c>dotnet voxgate.dll</c>.</summary>
public static class VoxgateExecutable
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        string directory = AppContext.BaseDirectory;
        string apphost = Path.Combine(directory, "voxgate");
        ProcessStartInfo info;
        if (File.Exists(apphost))
        {
            info = new ProcessStartInfo(apphost);
        }
        else
        {
            info = new ProcessStartInfo(Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet");
            info.ArgumentList.Add(Path.Combine(directory, "voxgate.dll"));
        }
        foreach (string argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.UseShellExecute = false;
        return info;
    }
}
