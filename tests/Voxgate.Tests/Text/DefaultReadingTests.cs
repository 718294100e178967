using System.Text.Json;
using Voxgate.OpenAi;
using Voxgate.Speech.Synthesis;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Text;

/// <summary>
/// The OpenAI surface's default reading (docs/api.md): local engines read numbers out unless the request or the
/// deployment says not to; MiniMax's default stays off; what a Chinese voice or Chinese text gets is Chinese.
/// </summary>
public class DefaultReadingTests
{
    private static SpeechRequest Parse(string json, bool normalizeByDefault) =>
        OpenAiSpeechRequest.Parse(JsonDocument.Parse(json).RootElement, new OpenAiOptions(), normalizeByDefault).Request;

    private static string Prepared(SpeechRequest request) => SpeechServices.Get<SpeechPlanner>().Plan(request).Text.Text;

    [Fact]
    public void TheOpenAiSurfaceReadsNumbersOutByDefault()
    {
        SpeechRequest request = Parse("""{"model":"tts-1","voice":"flite:kal16","input":"It costs $20."}""", normalizeByDefault: true);
        Assert.False(request.ExpandForSpeech); // not asked for: a provider would not be asked to
        Assert.Equal("It costs twenty dollars.", Prepared(request));
    }

    [Fact]
    public void ARequestOrTheDeploymentCanTurnItOff()
    {
        SpeechRequest off = Parse("""{"model":"tts-1","voice":"flite:kal16","input":"It costs $20.","text_normalization":false}""", normalizeByDefault: true);
        Assert.Equal("It costs $20.", Prepared(off));
        SpeechRequest deployment = Parse("""{"model":"tts-1","voice":"flite:kal16","input":"It costs $20."}""", normalizeByDefault: false);
        Assert.Equal("It costs $20.", Prepared(deployment));
        SpeechRequest asked = Parse("""{"model":"tts-1","voice":"flite:kal16","input":"It costs $20.","text_normalization":true}""", normalizeByDefault: false);
        Assert.True(asked.ExpandForSpeech);
        Assert.Equal("It costs twenty dollars.", Prepared(asked));
    }

    [Fact]
    public void AMandarinVoiceOrChineseTextIsReadInChinese()
    {
        SpeechRequest voice = Parse("""{"model":"tts-1","voice":"espeak:cmn","input":"3 kg"}""", normalizeByDefault: true);
        Assert.Equal("三公斤", Prepared(voice));
        SpeechRequest text = Parse("""{"model":"tts-1","voice":"flite:kal16","input":"我有2个苹果。"}""", normalizeByDefault: true);
        Assert.Equal("我有两个苹果。", Prepared(text));
    }
}
