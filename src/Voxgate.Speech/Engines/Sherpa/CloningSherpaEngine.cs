using System.Buffers;
using Voxgate.Speech.Audio;
using Voxgate.Speech.Models;
using Voxgate.Speech.Native;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Speech.Engines.Sherpa;

/// <summary>
/// A zero-shot cloning model (ZipVoice or Pocket TTS): one voice, <c>&lt;engine&gt;:clone</c> (<c>zipvoice:clone</c>,
/// <c>pocket-tts:clone</c>), that speaks like the <see cref="EngineRequest.Reference"/> given with each request. The
/// reference is resampled to the model's rate here (libsoxr) and handed to sherpa-onnx with its transcript for the
/// one generation; the handle, its slots and its unloading are <see cref="SherpaEngine"/>'s, as for every model.
/// </summary>
public sealed class CloningSherpaEngine : SherpaEngine, IVoiceCloning
{
    /// <summary>Pocket TTS reads only the first 10 s of a reference (sherpa-onnx's max_reference_audio_len); the rest is not passed at all.</summary>
    private static readonly TimeSpan PocketReferenceLength = TimeSpan.FromSeconds(10);

    private readonly int _steps;

    internal CloningSherpaEngine(InstalledModel model, ModelOptions options, string version) : base(model, options, version)
    {
        NeedsTranscript = model.Manifest.Kind == ModelKind.ZipVoice;
        _steps = options.CloningSteps is > 0 and int steps ? steps : NeedsTranscript ? 4 : 5;
    }

    /// <summary>ZipVoice reads the reference's words as well as its sound; Pocket TTS the sound alone.</summary>
    public bool NeedsTranscript { get; }

    private protected override SherpaReference? ReferenceFor(EngineRequest request)
    {
        SpeakerOf(request.Voice); // a voice of this model, or a clear refusal
        VoiceReference reference = request.Reference
            ?? throw new SpeechSynthesisException($"The voice {request.Voice.Id} imitates a recording, and this request gave none.");
        if (reference.Samples.IsEmpty || reference.SampleRate is < 8000 or > 192_000)
        {
            throw new SpeechSynthesisException($"The reference recording of voice '{reference.Id}' is empty or has an unusable sample rate ({reference.SampleRate} Hz).");
        }
        double seconds = (double)reference.Samples.Length / reference.SampleRate;
        if (seconds > Options.MaxReferenceLength.TotalSeconds)
        {
            throw new SpeechSynthesisException(
                $"The reference recording of voice '{reference.Id}' lasts {seconds:0.#} s; the cloning models take at most {Options.MaxReferenceLength.TotalSeconds:0} s.");
        }
        if (NeedsTranscript && string.IsNullOrWhiteSpace(reference.Transcript))
        {
            throw new SpeechSynthesisException($"The cloning model '{Model.Manifest.Id}' needs the transcript of voice '{reference.Id}''s recording.");
        }
        ReadOnlyMemory<float> samples = reference.Samples;
        if (!NeedsTranscript)
        {
            samples = samples[..Math.Min(samples.Length, (int)(PocketReferenceLength.TotalSeconds * reference.SampleRate))];
        }
        return new SherpaReference(Resample(samples, reference.SampleRate, SampleRate), SampleRate,
            NeedsTranscript ? reference.Transcript : null, _steps);
    }

    /// <summary>The reference at the model's own rate (the library's linear resampler is cruder than libsoxr); unchanged when the rates agree.</summary>
    private static ReadOnlyMemory<float> Resample(ReadOnlyMemory<float> samples, int fromRate, int toRate)
    {
        if (fromRate == toRate)
        {
            return samples; // pinned for the call as it is
        }
        using var stage = new ResampleStage(fromRate, toRate, channels: 1);
        var output = new ArrayBufferWriter<float>((int)((long)samples.Length * toRate / fromRate) + 1024);
        stage.Process(samples.Span, output);
        stage.Flush(output);
        return output.WrittenMemory;
    }
}
