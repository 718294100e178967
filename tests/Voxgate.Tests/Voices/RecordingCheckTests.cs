using Voxgate.Gateway.Voices;
using Voxgate.Speech.Audio;

namespace Voxgate.Tests.Voices;

/// <summary>Uploaded recordings are judged by decoding them, not by their names; references are cleaned as documented.</summary>
public class RecordingCheckTests
{
    private static readonly TimeSpan s_twelve = TimeSpan.FromSeconds(12);

    [Fact]
    public async Task TwelveSecondsOfWavMp3AndM4aDecodeToTwelveSecondsOfMonoAudio()
    {
        foreach ((string container, byte[] bytes) in new[]
        {
            ("wav", Recordings.Wav(s_twelve)), ("mp3", Recordings.Mp3(s_twelve)), ("m4a", await Recordings.M4aAsync(s_twelve)),
        })
        {
            DecodedAudio audio = VoiceRecordings.Check(bytes, RecordingRule.VoiceClone, "file", 20_000_000);
            Assert.Equal(container, audio.Container);
            Assert.InRange(audio.Duration.TotalSeconds, 11.8, 12.2); // codec padding at most a few frames
            Assert.False(audio.Truncated);
            Assert.InRange(Support.Signals.Peak(audio.Samples), 0.1f, 1f);
            DecodedAudio measured = VoiceRecordings.Check(bytes, RecordingRule.VoiceClone, "file", 20_000_000, keepSamples: false);
            Assert.Equal((audio.Duration, 0), (measured.Duration, measured.Samples.Length));
        }
    }

    [Fact]
    public void ATextFileNamedAsAudioIsRefusedWhateverItsName()
    {
        byte[] text = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("This is not a recording at all. ", 2000)));
        VoiceException refused = Assert.Throws<VoiceException>(() => VoiceRecordings.Check(text, RecordingRule.VoiceClone, "file", 20_000_000));
        Assert.Equal(VoiceErrorKind.Invalid, refused.Kind);
        Assert.Contains("cannot be decoded", refused.Message);
    }

    [Fact]
    public void RecordingsOutsideTheirPurposesRangeAreRefusedWithTheRightKind()
    {
        VoiceException shortClone = Assert.Throws<VoiceException>(() =>
            VoiceRecordings.Check(Recordings.Wav(TimeSpan.FromSeconds(5)), RecordingRule.VoiceClone, "file", 20_000_000));
        Assert.Equal(VoiceErrorKind.Duration, shortClone.Kind);
        Assert.Contains("at least 10 s", shortClone.Message);

        VoiceException longClone = Assert.Throws<VoiceException>(() =>
            VoiceRecordings.Check(Recordings.Encode(Speech.Encoders.AudioFormat.Mp3, new float[24000 * 301]), RecordingRule.VoiceClone, "file", 20_000_000));
        Assert.Equal(VoiceErrorKind.Duration, longClone.Kind);
        Assert.Contains("at most 5 minutes", longClone.Message);

        VoiceException longPrompt = Assert.Throws<VoiceException>(() =>
            VoiceRecordings.Check(Recordings.Wav(TimeSpan.FromSeconds(9)), RecordingRule.PromptAudio, "prompt_audio", 20_000_000));
        Assert.Equal(VoiceErrorKind.PromptTooLong, longPrompt.Kind);

        VoiceException large = Assert.Throws<VoiceException>(() =>
            VoiceRecordings.Check(Recordings.Wav(s_twelve), RecordingRule.VoiceClone, "file", 1000));
        Assert.Contains("at most 1,000", large.Message);
    }

    [Fact]
    public void AReferenceIsResampledTrimmedOfSilenceCutToTwentySecondsAndNormalisedWhenAsked()
    {
        // 40 s of speech-like audio at 48 kHz, framed by half a second of silence each side.
        float[] speech = Recordings.SpeechLike(TimeSpan.FromSeconds(40), 48000);
        var audio = new DecodedAudio(speech, 48000, "wav", false);

        float[] plain = VoiceReferenceAudio.Clean(audio, new ReferenceCleaning(false, false));
        Assert.InRange(plain.Length / (double)VoiceReferenceAudio.SampleRate, 19.9, 20.01);
        Assert.True(Support.Signals.Peak(plain.AsSpan(0, 12000)) > 0.1, "speech within its first half second, not silence");
        Assert.InRange(Support.Signals.Peak(plain), 0.2f, 0.35f);

        var shortAudio = new DecodedAudio(Recordings.SpeechLike(TimeSpan.FromSeconds(12)), Recordings.Rate, "wav", false);
        float[] normalised = VoiceReferenceAudio.Clean(shortAudio, new ReferenceCleaning(false, true));
        Assert.InRange(normalised.Length / (double)VoiceReferenceAudio.SampleRate, 10.5, 11.3); // the silent edges trimmed to 100 ms pads
        Assert.InRange(Support.Signals.Peak(normalised), 0.88f, 0.9f);

        float[] roundTrip = VoiceReferenceAudio.FromWav(VoiceReferenceAudio.ToWav(normalised));
        Assert.Equal(normalised.Length, roundTrip.Length);
        Assert.InRange(Math.Abs(roundTrip[1000] - normalised[1000]), 0, 1e-4);
    }
}
