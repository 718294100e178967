using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Voxgate.Speech.Models;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Neural;

/// <summary>A running server picks up a model installed next to it, and lets go of one removed.</summary>
public class ModelReloadTests(VoxgateFactory factory) : IClassFixture<VoxgateFactory>
{
    [Fact]
    public async Task AModelAddedWhileTheServerRunsIsLoadedAndARemovedOneUnloaded()
    {
        HttpClient client = factory.CreateClient();
        HttpClient admin = factory.CreateClientWithKey(VoxgateFactory.AdminKey);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostSpeechAsync(new { model = "tts-1", input = "Hi.", voice = "piper-live:default" })).StatusCode);

        string source = NeuralModels.WritePiper(Path.Combine(factory.DataDirectory, "incoming", "piper-live"));
        await factory.Services.GetRequiredService<ModelInstaller>().AddAsync(source, null, replace: false, CancellationToken.None);

        // The folder watcher notices the new model, verifies it in a child process and loads it.
        await WaitAsync(async () => (await client.PostSpeechAsync(new { model = "tts-1", input = "Hi.", voice = "piper-live:default" })).IsSuccessStatusCode);

        factory.Services.GetRequiredService<ModelStore>().Remove("piper-live");
        JsonElement reloaded = await (await admin.PostAsync("/admin/models/reload", null)).JsonAsync();
        Assert.Empty(reloaded.GetProperty("data").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostSpeechAsync(new { model = "tts-1", input = "Hi.", voice = "piper-live:default" })).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await factory.CreateClientWithKey(null).PostAsync("/admin/models/reload", null)).StatusCode);
    }

    private static async Task WaitAsync(Func<Task<bool>> condition)
    {
        for (int attempt = 0; attempt < 150; attempt++)
        {
            if (await condition())
            {
                return;
            }
            await Task.Delay(200);
        }
        Assert.Fail("the server did not pick the model up within 30 s");
    }
}
