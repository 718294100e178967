using Voxgate.Speech.Native;

namespace Voxgate.Speech.Engines.Sherpa;

/// <summary>
/// A sherpa-onnx handle lent to one generation, with the speaker to ask it for. Disposing it gives the handle back,
/// once however often it is called (a blend's handle may be freed by its last return).
/// </summary>
internal sealed class HandleLease(SherpaOnnx.TtsHandle handle, int speakerId, Action? giveBack) : IDisposable
{
    private Action? _giveBack = giveBack;

    public SherpaOnnx.TtsHandle Handle { get; } = handle;

    public int SpeakerId { get; } = speakerId;

    public void Dispose() => Interlocked.Exchange(ref _giveBack, null)?.Invoke();
}
