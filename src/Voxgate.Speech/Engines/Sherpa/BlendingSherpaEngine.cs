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
/// blend; the last <see cref="ModelOptions.MaxBlendHandles"/> blends stay loaded, and one pushed out while generations
/// still use it is freed when the last of them ends.
/// </summary>
public sealed class BlendingSherpaEngine : SherpaEngine, IVoiceMixing
{
    private readonly Lock _blendsLock = new();
    private readonly LinkedList<Blend> _blends = new();
    private readonly string _blendDirectory;
    private int _blendHandlesOpen;

    internal BlendingSherpaEngine(InstalledModel model, ModelOptions options, string version) : base(model, options, version)
    {
        _blendDirectory = Path.Combine(Path.GetTempPath(), $"voxgate-blends-{Environment.ProcessId}-{model.Manifest.Id}");
    }

    public int MaxVoicesInMix => 4;

    /// <summary>Blend handles not yet freed: the loaded ones, and those pushed out that generations still use.</summary>
    internal int BlendHandlesOpen => Volatile.Read(ref _blendHandlesOpen);

    private protected override HandleLease HandleFor(EngineRequest request)
    {
        if (request.Mix is not { Count: > 1 } mix)
        {
            return base.HandleFor(request);
        }
        (int Speaker, double Weight)[] parts = [.. mix.Select(m => (SpeakerOf(m.Voice).Id, m.Weight)).OrderBy(p => p.Item1)];
        string key = string.Join("+", parts.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Speaker}*{p.Weight:R}")));
        lock (_blendsLock)
        {
            for (LinkedListNode<Blend>? node = _blends.First; node is not null; node = node.Next)
            {
                if (node.Value.Key == key)
                {
                    _blends.Remove(node);
                    _blends.AddFirst(node); // most recently used first
                    return node.Value.Lend();
                }
            }
            var blend = new Blend(key, CreateHandle(Model, Options, WriteBlend(key, parts)), this);
            Interlocked.Increment(ref _blendHandlesOpen);
            _blends.AddFirst(blend);
            while (_blends.Count > Math.Max(1, Options.MaxBlendHandles))
            {
                _blends.Last!.Value.Release(); // freed at once, or when the generations it is lent to end
                _blends.RemoveLast();
            }
            return blend.Lend();
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

    /// <summary>Lets go of the loaded blends: each is freed now, or when the last generation using it ends.</summary>
    protected override void Dispose(bool disposing)
    {
        lock (_blendsLock)
        {
            foreach (Blend blend in _blends)
            {
                blend.Release();
            }
            _blends.Clear();
        }
        if (Directory.Exists(_blendDirectory))
        {
            Directory.Delete(_blendDirectory, recursive: true);
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// A blend's handle, held by the list of loaded blends and by each generation it is lent to, and freed when the last
    /// of them lets go. SafeHandle's own reference counting cannot do this: marshalling refuses a handle that has been
    /// disposed, even while native calls in flight still hold references to it.
    /// </summary>
    private sealed class Blend(string key, SherpaOnnx.TtsHandle handle, BlendingSherpaEngine engine)
    {
        private int _holders = 1; // the list

        public string Key { get; } = key;

        /// <summary>Lends the handle; called only while the list holds it (under the engine's lock), so it is still open.</summary>
        public HandleLease Lend()
        {
            Interlocked.Increment(ref _holders);
            return new HandleLease(handle, 0, Release); // the blend is the derived voices file's first speaker
        }

        /// <summary>The list or a generation lets go; the last one frees the handle.</summary>
        public void Release()
        {
            if (Interlocked.Decrement(ref _holders) == 0)
            {
                handle.Dispose();
                Interlocked.Decrement(ref engine._blendHandlesOpen);
            }
        }
    }
}
