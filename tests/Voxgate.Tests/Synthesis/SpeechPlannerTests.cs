using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Synthesis;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Synthesis;

public class SpeechPlannerTests
{
    private static SpeechPlanner Planner => SpeechServices.Get<SpeechPlanner>();

    private static SpeechRequest Request(string voice = "alloy", string model = "tts-1", string input = "Hello.") =>
        new() { Model = model, Voice = voice, Input = input };

    private static SpeechRequestException Refused(SpeechRequest request) => Assert.Throws<SpeechRequestException>(() => Planner.Plan(request));

    [Theory]
    [InlineData("tts-1", "alloy", "voxgate/flite", "flite:slt")]
    [InlineData("TTS-1", "ALLOY", "voxgate/flite", "flite:slt")]
    [InlineData("tts-1", "onyx", "voxgate/flite", "flite:rms")]
    [InlineData("tts-1-hd", "fable", "voxgate/local-hd", "flite:awb")]
    [InlineData("minimax/minimax-speech-02-hd", "alloy", "minimax/minimax-speech-02-hd", "flite:slt")]
    [InlineData("speech-02-hd", "espeak:de", "minimax/minimax-speech-02-hd", "espeak:de")]
    [InlineData("espeak", "alloy", "voxgate/espeak-ng", "espeak:en-us")]
    [InlineData("espeak", "flite:kal16", "voxgate/espeak-ng", "flite:kal16")]
    public void ResolvesModelsAndVoices(string model, string voice, string expectedModel, string expectedVoice)
    {
        SpeechPlan plan = Planner.Plan(Request(voice, model));
        Assert.Equal(expectedModel, plan.Model.Id);
        Assert.Equal(expectedVoice, plan.Voice.Id);
    }

    [Fact]
    public void UnknownModelAndVoiceAreNamed()
    {
        SpeechRequestException model = Refused(Request(model: "tts-9"));
        Assert.Equal(SpeechErrorKind.ModelNotFound, model.Kind);
        Assert.Contains("tts-9", model.Message);

        SpeechRequestException voice = Refused(Request(voice: "nobody"));
        Assert.Equal(SpeechErrorKind.VoiceNotFound, voice.Kind);
        Assert.Contains("nobody", voice.Message);
        // The CLI's planner knows no route to point to; the server's says the one it registered.
        Assert.DoesNotContain("/v1/", voice.Message);
        SpeechPlanner served = ActivatorUtilities.CreateInstance<SpeechPlanner>(SpeechServices.Shared, new SurfaceHints { VoiceList = "GET /v1/voices" });
        Assert.Contains("GET /v1/voices lists the voices of this server",
            Assert.Throws<SpeechRequestException>(() => served.Plan(Request(voice: "nobody"))).Message);
    }

    [Theory]
    [InlineData(0.24)]
    [InlineData(4.01)]
    [InlineData(double.NaN)]
    public void SpeedOutsideTheRangeIsRefused(double speed)
    {
        Assert.Equal("speed", Refused(Request() with { Speed = speed }).Parameter);
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(4.0)]
    public void SpeedAtTheLimitsIsAccepted(double speed) => Planner.Plan(Request() with { Speed = speed });

    [Fact]
    public void OtherRangesAreChecked()
    {
        Assert.Equal("sample_rate", Refused(Request() with { SampleRate = 12345 }).Parameter);
        Assert.Equal("channels", Refused(Request() with { Channels = 3 }).Parameter);
        Assert.Equal("volume", Refused(Request() with { Volume = 0 }).Parameter);
        Assert.Equal("bitrate", Refused(Request() with { Bitrate = 1000 }).Parameter);
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("\u0001\u0002\t\n")]
    [InlineData("... ?!")]
    public void TextWithNothingToSayIsRefused(string input)
    {
        SpeechRequestException refused = Refused(Request(input: input));
        Assert.Equal("input", refused.Parameter);
        Assert.Contains("no speakable text", refused.Message);
    }

    [Fact]
    public void SpeedIsSplitBetweenTheEngineAndTheTempoStage()
    {
        LocalSynthesis Local(SpeechRequest request) => Assert.IsType<LocalSynthesis>(Planner.Plan(request).Route);

        LocalSynthesis espeak = Local(Request("espeak:en-us") with { Speed = 2 });
        Assert.Equal((2.0, 1.0), (espeak.EngineSpeed, espeak.Tempo));

        LocalSynthesis espeakFaster = Local(Request("espeak:en-us") with { Speed = 4 });
        Assert.Equal(450.0 / 175, espeakFaster.EngineSpeed, 6);
        Assert.Equal(4, espeakFaster.EngineSpeed * espeakFaster.Tempo, 6);

        LocalSynthesis flite = Local(Request("flite:slt") with { Speed = 0.5 });
        Assert.Equal((1.0, 0.5), (flite.EngineSpeed, flite.Tempo));
    }

    [Theory]
    [InlineData("Whisper this, as if telling a secret.", -70, 0)]
    [InlineData("Speak in a cheerful and positive tone.", 15, 1.5)]
    [InlineData("Sound sad and tired.", -30, -1.5)]
    [InlineData("Use a neutral newsreader voice.", 0, 0)]
    public void OpenAiInstructionsThatNameAnEmotionGetItsProsody(string instructions, int intensity, double semitones)
    {
        SpeechPlan plan = Planner.Plan(Request() with { Instructions = instructions });
        Assert.Equal((intensity, semitones), (plan.Effects.Intensity, plan.Effects.PitchSemitones));
        // An explicit emotion (MiniMax's field) wins over the instructions.
        Assert.Equal(60, Planner.Plan(Request() with { Instructions = instructions, Emotion = "angry" }).Effects.Intensity);
    }

    [Fact]
    public void DefaultsFollowOpenAi()
    {
        SpeechPlan plan = Planner.Plan(Request());
        Assert.Equal(new EncoderSettings(AudioFormat.Mp3, 24000, 1, 0), plan.Output);
        Assert.Equal(6, plan.Text.Characters);
    }

    [Fact]
    public void ACatalogThatNamesAModelTwiceIsRefusedAtStartUp()
    {
        var options = new CatalogOptions
        {
            Models =
            [
                new ModelDefinition { Id = "a", Engine = "flite", Aliases = ["x"] },
                new ModelDefinition { Id = "b", Engine = "flite", Aliases = ["X"] },
            ],
        };
        OptionsValidationException error = Assert.Throws<OptionsValidationException>(() => new ModelCatalog(Options.Create(options)));
        Assert.Contains("'X' names both 'a' and 'b'", error.Message);
    }
}
