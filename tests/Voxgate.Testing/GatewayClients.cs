using System.ClientModel.Primitives;
using System.Net.Http.Headers;
using OpenAI;
using OpenAI.Audio;

namespace Voxgate.Tests.Support;

/// <summary>Accounts, keys and clients made through the admin API of a test server.</summary>
public static class GatewayClients
{
    /// <summary>Creates an account with a key (and, if given, credit) through the admin API; returns the key.</summary>
    public static async Task<string> CreateKeyAsync(this VoxgateFactory factory, string account, string? dollars = null,
        int requestsPerMinute = 1_000_000, int charactersPerMinute = 1_000_000_000, string[]? scopes = null)
    {
        HttpClient admin = factory.CreateClientWithKey(VoxgateFactory.AdminKey);
        HttpResponseMessage created = await admin.PostAsync("/admin/accounts", HttpJson.Body(new { name = account }));
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        HttpResponseMessage key = await admin.PostAsync($"/admin/accounts/{account}/keys", HttpJson.Body(new
        {
            requests_per_minute = requestsPerMinute,
            characters_per_minute = charactersPerMinute,
            scopes = scopes ?? ["speech"],
        }));
        Assert.True(key.IsSuccessStatusCode, await key.Content.ReadAsStringAsync());
        if (dollars is not null)
        {
            HttpResponseMessage topUp = await admin.PostAsync($"/admin/accounts/{account}/topups", HttpJson.Body(new { amount = dollars }));
            Assert.True(topUp.IsSuccessStatusCode, await topUp.Content.ReadAsStringAsync());
        }
        return (await key.JsonAsync()).GetProperty("key").GetString()!;
    }

    /// <summary>The official OpenAI SDK over the in-process test server, with retries off so refusals surface at once.</summary>
    public static AudioClient OpenAiAudio(this VoxgateFactory factory, string key, string model = "tts-1")
    {
        HttpClient http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = null;
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(http.BaseAddress!, "v1"),
            Transport = new HttpClientPipelineTransport(http),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        };
        return new OpenAIClient(new System.ClientModel.ApiKeyCredential(key), options).GetAudioClient(model);
    }

    public static HttpClient WithKey(this HttpClient client, string key)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }
}
