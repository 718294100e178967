using Voxgate.Speech.Native;

namespace Voxgate.Speech.Audio;

/// <summary>A recording decoded to mono float PCM.</summary>
/// <param name="Container">The demuxer that recognised it: <c>wav</c>, <c>mp3</c>, <c>m4a</c>, ...</param>
/// <param name="Samples">The audio, or empty when only its length was asked for.</param>
/// <param name="Truncated">True when decoding stopped at the caller's limit (the recording is longer).</param>
/// <param name="Frames">How many samples were decoded (kept or not).</param>
public sealed record DecodedAudio(float[] Samples, int SampleRate, string Container, bool Truncated, long Frames)
{
    public DecodedAudio(float[] samples, int sampleRate, string container, bool truncated)
        : this(samples, sampleRate, container, truncated, samples.LongLength)
    {
    }

    public TimeSpan Duration => TimeSpan.FromSeconds(Frames / (double)SampleRate);
}

/// <summary>The recording cannot be decoded; the message says why, for the caller.</summary>
public sealed class AudioDecodeException(string message) : Exception(message);

/// <summary>
/// Decodes an uploaded recording by its contents (libavformat to unpack the container, libavcodec to decode), never
/// by its name, to mono float PCM at its own rate. Used to check uploads (their length decides whether a clone or a
/// prompt is acceptable) and to take the reference out of them.
/// </summary>
public static class AudioFileDecoder
{
    /// <summary>The containers MiniMax accepts for cloning: mp3, m4a (and other MP4 audio) and wav.</summary>
    public static IReadOnlySet<string> CloneContainers { get; } = new HashSet<string> { "mp3", "m4a", "wav" };

    /// <summary>What OpenAI accepts for custom voices: those, and Ogg, AAC, FLAC and WebM.</summary>
    public static IReadOnlySet<string> OpenAiContainers { get; } = new HashSet<string> { "mp3", "m4a", "wav", "ogg", "aac", "flac", "webm" };

    /// <summary>Decodes <paramref name="content"/>; stops once more than <paramref name="maxDuration"/> is decoded.</summary>
    /// <param name="keepSamples">False to measure only (an upload's check): nothing but the count is kept, so a
    /// five-minute recording costs no more memory than a short one.</param>
    /// <exception cref="AudioDecodeException">Not audio, not one of <paramref name="containers"/>, or nothing decodable in it.</exception>
    public static DecodedAudio Decode(ReadOnlySpan<byte> content, IReadOnlySet<string> containers, TimeSpan maxDuration, bool keepSamples = true)
    {
        // libavformat reads files; the name has no extension, so only the contents decide what it is.
        string path = Path.Combine(Path.GetTempPath(), $"voxgate-decode-{Guid.NewGuid():N}");
        try
        {
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.None))
            {
                file.Write(content);
            }
            return DecodeFile(path, containers, maxDuration, keepSamples);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static DecodedAudio DecodeFile(string path, IReadOnlySet<string> containers, TimeSpan maxDuration, bool keepSamples)
    {
        AvFormat.FormatHandle input;
        try
        {
            input = AvFormat.Open(path);
        }
        catch (InvalidDataException ex)
        {
            throw new AudioDecodeException($"The file cannot be decoded: {ex.Message}.");
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or NotSupportedException)
        {
            throw new InvalidOperationException("libavformat (Debian libavformat59) is needed to read uploaded recordings: " + ex.Message, ex);
        }
        using (input)
        {
            string container = Container(AvFormat.FormatName(input));
            if (!containers.Contains(container))
            {
                throw new AudioDecodeException($"The file is {(container.Length == 0 ? "not audio" : container)}; send {string.Join(", ", containers.Order())}.");
            }
            int stream;
            nint codec, parameters;
            try
            {
                (stream, codec, parameters) = AvFormat.BestAudioStream(input);
            }
            catch (InvalidDataException ex)
            {
                throw new AudioDecodeException($"The file cannot be decoded: {ex.Message}.");
            }
            using AvCodec.ContextHandle decoder = AvCodec.OpenStreamDecoder(codec, parameters);
            using AvCodec.PacketHandle packet = AvCodec.AllocPacket();
            using AvCodec.FrameHandle frame = AvCodec.AllocFrame();
            var samples = new List<float>();
            long frames = 0;
            int sampleRate = 0;
            long limit = 0;
            bool truncated = false;
            void Take(ReadOnlySpan<float> mono, int rate)
            {
                if (sampleRate == 0)
                {
                    sampleRate = rate;
                    limit = (long)(maxDuration.TotalSeconds * rate) + 1;
                }
                int room = (int)Math.Max(0, limit - frames);
                if (mono.Length > room)
                {
                    truncated = true;
                }
                int taken = Math.Min(room, mono.Length);
                frames += taken;
                if (keepSamples)
                {
                    samples.AddRange(mono[..taken]);
                }
            }
            try
            {
                while (!truncated && AvFormat.ReadPacket(input, packet))
                {
                    try
                    {
                        if (AvCodec.PacketStreamIndex(packet) != stream)
                        {
                            continue;
                        }
                        while (!AvCodec.SendDemuxedPacket(decoder, packet))
                        {
                            if (!AvCodec.ReceiveMonoFrame(decoder, frame, Take))
                            {
                                break;
                            }
                        }
                        while (AvCodec.ReceiveMonoFrame(decoder, frame, Take))
                        {
                        }
                    }
                    finally
                    {
                        AvCodec.UnrefPacket(packet);
                    }
                }
                if (!truncated)
                {
                    AvCodec.SendPacket(decoder, packet, []);
                    while (AvCodec.ReceiveMonoFrame(decoder, frame, Take))
                    {
                    }
                }
            }
            catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException)
            {
                throw new AudioDecodeException($"The {container} audio cannot be decoded ({ex.Message}).");
            }
            if (frames == 0 || sampleRate <= 0)
            {
                throw new AudioDecodeException($"The file holds no {container} audio that decodes.");
            }
            return new DecodedAudio([.. samples], sampleRate, container, truncated, frames);
        }
    }

    /// <summary>libavformat's demuxer names, as the formats people call them.</summary>
    private static string Container(string demuxer) => demuxer switch
    {
        "mov,mp4,m4a,3gp,3g2,mj2" => "m4a",
        "matroska,webm" => "webm",
        _ => demuxer,
    };
}
