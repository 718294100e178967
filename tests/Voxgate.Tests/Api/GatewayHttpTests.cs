using System.ClientModel;
using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenAI.Audio;
using Voxgate.Gateway.Billing;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Api;

/// <summary>Keys, wallets, limits and usage through real HTTP and the official OpenAI SDK, on a real SQLite file.</summary>
[Collection(ApiCollection.Name)]
public class GatewayHttpTests(VoxgateFactory factory)
{
    private static readonly object s_speech = new { model = "tts-1", input = "Hello there.", voice = "flite:kal16", response_format = "pcm" };

    [Theory]
    [InlineData(null, "invalid_api_key", "No API key was sent")]
    [InlineData("Basic dXNlcjpwYXNz", "invalid_api_key", "malformed")]
    [InlineData("Bearer sk-vg-thisisnotakey", "invalid_api_key", "malformed")]
    [InlineData("Bearer sk-vg-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg", "invalid_api_key", "Incorrect API key")]
    public async Task RequestsWithoutAValidKeyAre401(string? authorization, string code, string message)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/audio/speech") { Content = HttpJson.Body(s_speech) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }
        HttpResponseMessage response = await factory.CreateClientWithKey(null).SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        JsonElement error = await response.ErrorAsync();
        Assert.Equal("authentication_error", error.GetProperty("type").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task EveryV1EndpointNeedsAKeyButHealthAndTheDocumentDoNot()
    {
        HttpClient anonymous = factory.CreateClientWithKey(null);
        foreach (string path in new[] { "/v1/models", "/v1/voices", "/v1/audio/voices", "/v1/usage", "/v1/wallet", "/admin/accounts" })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
        }
        foreach (string path in new[] { "/healthz", "/readyz", "/openapi.json" })
        {
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(path)).StatusCode);
        }
    }

    [Fact]
    public async Task TheSdkSurfaces401402404And429()
    {
        ClientResultException unauthenticated = await Assert.ThrowsAsync<ClientResultException>(() =>
            factory.OpenAiAudio("sk-vg-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg").GenerateSpeechAsync("Hi.", GeneratedSpeechVoice.Alloy));
        Assert.Equal(401, unauthenticated.Status);
        Assert.Contains("authentication_error", unauthenticated.Message);

        string broke = await factory.CreateKeyAsync("sdk-broke");
        ClientResultException payment = await Assert.ThrowsAsync<ClientResultException>(() =>
            factory.OpenAiAudio(broke).GenerateSpeechAsync("Hi.", GeneratedSpeechVoice.Alloy));
        Assert.Equal(402, payment.Status);
        Assert.Contains("insufficient_credits", payment.Message);

        ClientResultException missing = await Assert.ThrowsAsync<ClientResultException>(() =>
            factory.OpenAiAudio(factory.ApiKey, "no-such-model").GenerateSpeechAsync("Hi.", GeneratedSpeechVoice.Alloy));
        Assert.Equal(404, missing.Status);

        string limited = await factory.CreateKeyAsync("sdk-limited", "1.00", requestsPerMinute: 1);
        await factory.OpenAiAudio(limited).GenerateSpeechAsync("Hi.", GeneratedSpeechVoice.Alloy);
        ClientResultException tooMany = await Assert.ThrowsAsync<ClientResultException>(() =>
            factory.OpenAiAudio(limited).GenerateSpeechAsync("Hi.", GeneratedSpeechVoice.Alloy));
        Assert.Equal(429, tooMany.Status);
        Assert.Contains("rate_limit_error", tooMany.Message);
        // The seconds until the one request a minute is back: 60 less the time since the first request (and the SDK's retries).
        Assert.True(tooMany.GetRawResponse()!.Headers.TryGetValue("Retry-After", out string? retryAfter));
        Assert.InRange(int.Parse(retryAfter!, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
    }

    [Fact]
    public async Task AnEmptyWalletIs402WithNothingSynthesisedOrCharged()
    {
        string key = await factory.CreateKeyAsync("broke");
        HttpResponseMessage response = await factory.CreateClient().WithKey(key).PostSpeechAsync(s_speech);
        Assert.Equal(HttpStatusCode.PaymentRequired, response.StatusCode);
        JsonElement error = await response.ErrorAsync();
        Assert.Equal("insufficient_credits", error.GetProperty("type").GetString());
        Assert.Contains("costs $0.00006", error.GetProperty("message").GetString()); // 12 characters at $0.005 per 1K
        JsonElement usage = await (await factory.CreateClient().WithKey(key).GetAsync("/v1/usage")).JsonAsync();
        Assert.Equal(0, usage.GetProperty("total").GetProperty("cost_micros").GetInt64());
        // A refusal is counted apart from served requests, and never as a row of its own.
        Assert.Equal(0, usage.GetProperty("total").GetProperty("requests").GetInt32());
        Assert.Equal(1, usage.GetProperty("total").GetProperty("refused").GetInt64());
        Assert.Equal(1, usage.GetProperty("refusals").GetProperty("insufficient_credits").GetInt64());
    }

    [Fact]
    public async Task RateLimitsAnswer429WithRetryAfterAndOpenAiHeaders()
    {
        string key = await factory.CreateKeyAsync("limited", "1.00", requestsPerMinute: 2, charactersPerMinute: 30);
        HttpClient client = factory.CreateClient().WithKey(key);
        HttpResponseMessage first = await client.PostSpeechAsync(s_speech);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("2", first.Headers.GetValues("x-ratelimit-limit-requests").Single());
        Assert.Equal("1", first.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        Assert.Equal("30", first.Headers.GetValues("x-ratelimit-limit-tokens").Single());
        Assert.Equal("18", first.Headers.GetValues("x-ratelimit-remaining-tokens").Single());
        Assert.Matches("^[0-9]+(ms|s)$", first.Headers.GetValues("x-ratelimit-reset-requests").Single());

        HttpResponseMessage characters = await client.PostSpeechAsync(new { model = "tts-1", input = "Twenty characters!!", voice = "flite:kal16" });
        Assert.Equal(HttpStatusCode.TooManyRequests, characters.StatusCode);
        Assert.Equal("characters_per_minute_exceeded", (await characters.ErrorAsync()).GetProperty("code").GetString());
        Assert.InRange(int.Parse(characters.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture), 1, 3);

        HttpResponseMessage second = await client.PostSpeechAsync(new { model = "tts-1", input = "Hi.", voice = "flite:kal16" });
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        HttpResponseMessage third = await client.PostSpeechAsync(new { model = "tts-1", input = "Hi.", voice = "flite:kal16" });
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
        JsonElement error = await third.ErrorAsync();
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Equal("requests_per_minute_exceeded", error.GetProperty("code").GetString());
        Assert.InRange(int.Parse(third.Headers.GetValues("Retry-After").Single(), CultureInfo.InvariantCulture), 1, 30);
        Assert.Equal("0", third.Headers.GetValues("x-ratelimit-remaining-requests").Single());

        HttpResponseMessage huge = await client.PostSpeechAsync(new { model = "tts-1", input = new string('a', 31), voice = "flite:kal16" });
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode); // never passes: not a retryable 429
        Assert.Contains("the request itself exceeds the per-minute limit of 30 characters", (await huge.ErrorAsync()).GetProperty("message").GetString());
        Assert.False(huge.Headers.Contains("Retry-After"));
        Assert.Equal("false", huge.Headers.GetValues("x-should-retry").Single());
    }

    [Fact]
    public async Task ATopUpRecordsItsFeeAndTheBalanceAlwaysEqualsTheLedger()
    {
        string key = await factory.CreateKeyAsync("fees", "20.00");
        HttpClient admin = factory.CreateClientWithKey(VoxgateFactory.AdminKey);
        JsonElement[] ledger = [.. (await (await admin.GetAsync("/admin/accounts/fees/ledger")).JsonAsync()).GetProperty("data").EnumerateArray()];
        Assert.Equal([("fee", -1_000_000L), ("topup", 20_000_000L)], ledger.Select(l => (l.GetProperty("kind").GetString(), l.GetProperty("amount_micros").GetInt64())));

        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().WithKey(key).PostSpeechAsync(s_speech)).StatusCode);
        JsonElement wallet = await (await factory.CreateClient().WithKey(key).GetAsync("/v1/wallet")).JsonAsync();
        Assert.Equal(19_000_000 - 60, wallet.GetProperty("balance_micros").GetInt64());
        long accountId = (await factory.Service<Voxgate.Gateway.Accounts.AccountService>().GetAccountAsync("fees")).Id;
        Assert.Equal(wallet.GetProperty("balance_micros").GetInt64(), await factory.Service<IBillingStore>().SumLedgerAsync(accountId));

        HttpResponseMessage bad = await admin.PostAsync("/admin/accounts/fees/topups", HttpJson.Body(new { amount = "-5" }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("amount", (await bad.ErrorAsync()).GetProperty("param").GetString());
    }

    [Fact]
    public async Task ScopesSeparateSpeechFromAdministration()
    {
        string speechOnly = await factory.CreateKeyAsync("scoped", "1.00");
        HttpResponseMessage forbidden = await factory.CreateClient().WithKey(speechOnly).GetAsync("/admin/accounts");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("permission_error", (await forbidden.ErrorAsync()).GetProperty("type").GetString());

        string adminOnly = await factory.CreateKeyAsync("operators", scopes: ["admin"]);
        Assert.Equal(HttpStatusCode.OK, (await factory.CreateClient().WithKey(adminOnly).GetAsync("/admin/accounts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.CreateClient().WithKey(adminOnly).PostSpeechAsync(s_speech)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await factory.CreateClientWithKey(VoxgateFactory.AdminKey).PostSpeechAsync(s_speech)).StatusCode);
    }

    [Fact]
    public async Task UsageIsRecordedPerRequestAndRankedByModel()
    {
        string key = await factory.CreateKeyAsync("usage", "5.00");
        HttpClient client = factory.CreateClient().WithKey(key);
        await client.PostSpeechAsync(s_speech);
        await client.PostSpeechAsync(new { model = "speech-02-hd", input = "Twenty characters!!!", voice = "alloy", response_format = "pcm" });
        await client.PostSpeechAsync(new { model = "speech-02-hd", input = "Twenty characters!!!", voice = "alloy", response_format = "pcm" });
        HttpResponseMessage response = await client.GetAsync("/v1/usage?days=7");
        Assert.NotEmpty(response.Headers.GetValues("x-request-id"));
        JsonElement[] rows = [.. (await response.JsonAsync()).GetProperty("data").EnumerateArray()];
        JsonElement minimax = rows.Single(r => r.GetProperty("model").GetString() == "minimax/minimax-speech-02-hd");
        Assert.Equal((2, 40L, 4_000L), (minimax.GetProperty("requests").GetInt32(), minimax.GetProperty("characters").GetInt64(), minimax.GetProperty("cost_micros").GetInt64()));

        JsonElement[] ranking = [.. (await (await factory.CreateClientWithKey(VoxgateFactory.AdminKey).GetAsync("/admin/usage/models")).JsonAsync()).GetProperty("data").EnumerateArray()];
        Assert.Equal(1, ranking[0].GetProperty("rank").GetInt32());
        Assert.Contains(ranking, r => r.GetProperty("model").GetString() == "minimax/minimax-speech-02-hd");
        Assert.True(ranking.Zip(ranking.Skip(1)).All(p => p.First.GetProperty("characters").GetInt64() >= p.Second.GetProperty("characters").GetInt64()));
    }

    [Fact]
    public async Task AdminRefusalsAreClear()
    {
        HttpClient admin = factory.CreateClientWithKey(VoxgateFactory.AdminKey);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync("/admin/accounts", HttpJson.Body(new { name = "dup" }))).StatusCode);
        HttpResponseMessage duplicate = await admin.PostAsync("/admin/accounts", HttpJson.Body(new { name = "dup" }));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        HttpResponseMessage missing = await admin.PostAsync("/admin/accounts/nobody/keys", HttpJson.Body(new { }));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        HttpResponseMessage badScope = await admin.PostAsync("/admin/accounts/dup/keys", HttpJson.Body(new { scopes = new[] { "root" } }));
        Assert.Equal("scopes", (await badScope.ErrorAsync()).GetProperty("param").GetString());
        HttpResponseMessage badName = await admin.PostAsync("/admin/accounts", HttpJson.Body(new { name = "no spaces" }));
        Assert.Equal("name", (await badName.ErrorAsync()).GetProperty("param").GetString());
        HttpResponseMessage notJson = await admin.PostAsync("/admin/accounts", HttpJson.Raw("name=x", "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);

        JsonElement created = await (await admin.PostAsync("/admin/accounts/dup/keys", HttpJson.Body(new { name = "k" }))).JsonAsync();
        Assert.True(created.GetProperty("shown_once").GetBoolean());
        JsonElement[] listed = [.. (await (await admin.GetAsync("/admin/accounts/dup/keys")).JsonAsync()).GetProperty("data").EnumerateArray()];
        string listing = JsonSerializer.Serialize(listed);
        Assert.DoesNotContain(created.GetProperty("key").GetString()!, listing);
        Assert.Contains(created.GetProperty("key").GetString()![..12], listing);
    }
}
