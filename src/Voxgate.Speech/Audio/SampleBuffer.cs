namespace Voxgate.Speech.Audio;

/// <summary>Mono samples appended as they come, in one array that grows by doubling.</summary>
internal sealed class SampleBuffer
{
    private float[] _samples = new float[16384];

    public int Length { get; private set; }

    /// <summary>The array the samples are in; its first <see cref="Length"/> are the samples.</summary>
    public float[] Array => _samples;

    public ReadOnlySpan<float> Span => _samples.AsSpan(0, Length);

    public void Append(ReadOnlySpan<float> samples)
    {
        if (Length + samples.Length > _samples.Length)
        {
            System.Array.Resize(ref _samples, Math.Max(2 * _samples.Length, Length + samples.Length));
        }
        samples.CopyTo(_samples.AsSpan(Length));
        Length += samples.Length;
    }

    public float[] ToArray() => Span.ToArray();
}
