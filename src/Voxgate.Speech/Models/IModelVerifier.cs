namespace Voxgate.Speech.Models;

/// <summary>The outcome of a model's trial load.</summary>
public sealed record ModelVerification(bool Succeeded, string? Problem);

/// <summary>
/// Loads a model and synthesises a sentence with it somewhere a crash cannot hurt: the server's implementation runs
/// <c>voxgate models verify</c> in a child process, because a file that is not valid ONNX aborts the process that
/// loads it. The result is recorded in the <see cref="ModelStore"/>.
/// </summary>
public interface IModelVerifier
{
    Task<ModelVerification> VerifyAsync(string modelId, CancellationToken cancellationToken);
}
