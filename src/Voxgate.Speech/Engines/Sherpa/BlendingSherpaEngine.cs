using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Voxgate.Speech.Models;
using Voxgate.Speech.Native;

namespace Voxgate.Speech.Engines.Sherpa;

/// <summary>
/// A Kokoro or Kitten model, whose speakers are style vectors in voices.bin: a blend (<c>af_bella(2)+af_sky(1)</c>,
/// MiniMax's <c>timber_weights</c>) is the weighted sum of their vectors. sherpa-onnx reads voices.bin once, when a
/// handle is created, so a blend gets its own handle over a derived voices file in which the first speaker is the
/// blend; the last <see cref="ModelOptions.MaxBlendHandles"/> blends stay loaded.
/// </summary>
public sealed class BlendingSherpaEngine : SherpaEngine, IVoiceMixing
{
    private readonly Lock _blendsLock = new();
    private readonly LinkedList<(string Key, SherpaOnnx.TtsHandle Handle)> _blends = new();
    private readonly string _blendDirectory;

    internal BlendingSherpaEngine(InstalledModel model, ModelOptions options, string version) : base(model, options, version)
    {
        _blendDirectory = Path.Combine(Path.GetTempPath(), $"voxgate-blends-{Environment.ProcessId}-{model.Manifest.Id}");
    }

    public int MaxVoicesInMix => 4;

    private protected override (SherpaOnnx.TtsHandle Handle, int SpeakerId) HandleFor(EngineRequest request)
    {
        if (request.Mix is not { Count: > 1 } mix)
        {
            return base.HandleFor(request);
        }
        (int Speaker, double Weight)[] parts = [.. mix.Select(m => (SpeakerOf(m.Voice).Id, m.Weight)).OrderBy(p => p.Item1)];
        string key = string.Join("+", parts.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Speaker}*{p.Weight:R}")));
        lock (_blendsLock)
        {
            for (LinkedListNode<(string Key, SherpaOnnx.TtsHandle Handle)>? node = _blends.First; node is not null; node = node.Next)
            {
                if (node.Value.Key == key)
                {
                    _blends.Remove(node);
                    _blends.AddFirst(node); // most recently used first
                    return (node.Value.Handle, 0);
                }
            }
            SherpaOnnx.TtsHandle handle = CreateHandle(Model, Options, WriteBlend(key, parts));
            _blends.AddFirst((key, handle));
            while (_blends.Count > Math.Max(1, Options.MaxBlendHandles))
            {
                // Evicted handles are freed once the generations using them end (SafeHandle reference counting).
                _blends.Last!.Value.Handle.Dispose();
                _blends.RemoveLast();
            }
            return (handle, 0);
        }
    }

    /// <summary>voices.bin with the first speaker's block replaced by the weighted sum of the blend's speakers.</summary>
    private string WriteBlend(string key, (int Speaker, double Weight)[] parts)
    {
        string original = Path.Combine(Model.Directory, Model.Manifest.Files.Voices!);
        byte[] bytes = File.ReadAllBytes(original);
        int speakers = Model.Manifest.Speakers.Count;
        int block = bytes.Length / 4 / speakers;
        float[] all = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, all, 0, bytes.Length);
        double total = parts.Sum(p => p.Weight);
        float[] blend = new float[block];
        foreach ((int speaker, double weight) in parts)
        {
            for (int i = 0; i < block; i++)
            {
                blend[i] += (float)(all[speaker * block + i] * weight / total);
            }
        }
        Array.Copy(blend, 0, all, 0, block);
        Directory.CreateDirectory(_blendDirectory);
        string path = Path.Combine(_blendDirectory, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16] + ".bin");
        byte[] output = new byte[bytes.Length];
        Buffer.BlockCopy(all, 0, output, 0, output.Length);
        File.WriteAllBytes(path, output);
        return path;
    }

    protected override void Dispose(bool disposing)
    {
        lock (_blendsLock)
        {
            foreach ((_, SherpaOnnx.TtsHandle handle) in _blends)
            {
                handle.Dispose();
            }
            _blends.Clear();
        }
        if (Directory.Exists(_blendDirectory))
        {
            Directory.Delete(_blendDirectory, recursive: true);
        }
    }
}
