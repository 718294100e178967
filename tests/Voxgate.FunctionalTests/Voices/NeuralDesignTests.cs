using System.Net;
using System.Text.Json;
using Voxgate.Gateway.Voices;
using Voxgate.Tests.Neural;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Voices;

/// <summary>Voice design among installed neural voices: two voices of a blending model that fit a description equally are blended.</summary>
[Collection(NeuralCollection.Name)]
public class NeuralDesignTests(NeuralFactory factory) : IAsyncLifetime
{
    public async Task InitializeAsync() => await factory.WaitForModelsAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TwoNeuralVoicesThatFitTheDescriptionEquallyAreBlendedAndSpoken()
    {
        var api = new MiniMaxApi(factory.CreateClient());
        JsonElement designed = MiniMaxApi.Ok(await api.PostAsync("voice_design", new { prompt = "An American woman, bright and quick", preview_text = "Hello there." }));
        string voiceId = designed.GetProperty("voice_id").GetString()!;

        long account = await factory.AccountIdAsync(VoxgateFactory.AccountName);
        CustomVoice voice = await factory.Service<VoiceService>().GetAsync(account, voiceId);
        // The preview model (speech-02-hd) prefers Kokoro; the test Kokoro model has two American female voices,
        // af_alloy and af_heart, which fit equally: the design is their blend.
        var registry = factory.Service<Speech.Engines.SpeechEngineRegistry>();
        string[] blend = [.. voice.Controls!.Blend!.Select(p => p.Voice)];
        Assert.Equal(2, blend.Length);
        Assert.Equal(["kokoro:af_alloy", "kokoro:af_heart"], blend);
        Assert.Equal(voice.BaseVoice, blend[0]);
        Assert.All(blend, id =>
        {
            Assert.True(registry.TryGetVoice(id, out Speech.Engines.VoiceInfo info, out _));
            Assert.Equal((Speech.Engines.VoiceGender.Female, "en-us"), (info.Gender, info.Language));
            Assert.Equal(blend[0].Split(':')[0], info.Engine);
            Assert.DoesNotContain(info.Engine, new[] { "flite", "espeak" });
        });
        Assert.Equal((40, 1.15), (voice.Controls.Timbre, voice.Controls.Speed));

        using HttpResponseMessage speech = await factory.CreateClient().PostSpeechAsync(new { model = "tts-1", input = "A blend.", voice = new { id = voiceId }, response_format = "wav" });
        Assert.Equal(HttpStatusCode.OK, speech.StatusCode);
        Assert.Equal(voice.BaseVoice, speech.Headers.GetValues("x-voxgate-voice").Single());
    }
}
