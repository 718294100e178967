using Voxgate.Speech.Audio;
using Voxgate.Speech.Encoders;

namespace Voxgate.Speech.Watermarking;

/// <summary>What <see cref="WatermarkDetector"/> found in a file.</summary>
/// <param name="Tag">The machine-generated tag's value in the container, or null.</param>
/// <param name="Chime">The audible end marker was found in the decoded audio.</param>
/// <param name="Container">The container the file was read as.</param>
public sealed record WatermarkReport(string? Tag, bool Chime, AudioContainer Container)
{
    public bool MachineGenerated => Tag is not null || Chime;
}

/// <summary>
/// Finds Voxgate's two marks of machine-generated audio (<c>aigc_watermark</c>): the <c>AIGC</c> tag in the container,
/// and the three-tone chime after the speech, which survives re-encoding and tag stripping.
/// </summary>
public static class WatermarkDetector
{
    /// <param name="rawPcm">How to read a file in no known container as raw PCM; null refuses such files.</param>
    /// <exception cref="InvalidDataException">The file is not audio that can be read.</exception>
    public static WatermarkReport Detect(Stream file, RawPcmFormat? rawPcm = null)
    {
        byte[] head = new byte[64 * 1024];
        int read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        AudioContainer container = ContainerTags.Identify(head.AsSpan(0, read));
        file.Position = 0;
        string? tag = ContainerTags.Find(file, MachineGeneratedTag.Name);
        file.Position = 0;
        AudioTail tail = AudioTailReader.Read(file, TimeSpan.FromSeconds(3), rawPcm);
        return new WatermarkReport(tag, AudioWatermark.Detect(tail.Samples, tail.SampleRate), container);
    }
}
