using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Voxgate.Tests.Support;
using Xunit.Abstractions;

namespace Voxgate.Tests.Hostile;

/// <summary>A server as shipped, with a queue deep enough that a burst of 200 is mostly served rather than refused.</summary>
public sealed class HostileSuiteServer : ServerProcess
{
    protected override IEnumerable<KeyValuePair<string, string>> Environment =>
    [
        new("Voxgate__Saturation__Default__MaxQueued", "64"),
        new("Voxgate__Streaming__ReaderGracePeriod", "00:00:03"),
        new("Voxgate__RateLimits__DefaultConcurrentRequests", "16"),
    ];
}

/// <summary>
/// Everything a hostile client tries, at once: 200 requests in parallel from four accounts on both surfaces, with
/// request ids reused within and across accounts, wallets too small for all of it, readers that stall or hang up
/// mid-stream, pause markers and pronunciation dictionaries meant to buy audio cheaply. However it goes for each
/// request, nothing is free, nothing stays held, nothing fails on the server, and the auditor finds the books sound.
/// </summary>
public class HostileClientSuiteTests(HostileSuiteServer server, ITestOutputHelper output) : IClassFixture<HostileSuiteServer>
{
    private static readonly string[] s_requestIds = ["dup-1", "dup-2", "same"];

    [Fact]
    public async Task TwoHundredHostileRequestsLeaveTheBooksSoundAndNothingHeld()
    {
        // Wallets for part of the traffic only, so that some requests are refused for money mid-burst.
        string[] accounts = ["alpha", "beta", "gamma", "delta"];
        string[] keys = await Task.WhenAll(accounts.Select((name, i) => server.CreateFundedKeyAsync(name, i == 0 ? "0.05" : "0.50")));
        var outcomes = new ConcurrentBag<string>();
        var serverIds = new ConcurrentBag<string>();

        await Task.WhenAll(Enumerable.Range(0, 200).Select(async i =>
        {
            using HttpClient client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(3) }.WithKey(keys[i % keys.Length]);
            client.DefaultRequestHeaders.Add("x-request-id", s_requestIds[i % s_requestIds.Length]);
            string outcome = await SendAsync(client, i, serverIds);
            outcomes.Add(outcome.StartsWith("unexpected", StringComparison.Ordinal) ? $"{outcome} (kind {i % 10})" : outcome);
        }));

        output.WriteLine(string.Join(", ", outcomes.GroupBy(o => o).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}")));
        // Every request ended as one of the answers a client may get; none as a server failure.
        Assert.DoesNotContain(outcomes, o => o.StartsWith("unexpected", StringComparison.Ordinal));
        Assert.Contains("ok", outcomes);
        Assert.Contains("refused-input", outcomes);
        Assert.Equal(serverIds.Count, serverIds.Distinct().Count()); // the server's own id, never the caller's, for each

        foreach (string key in keys)
        {
            await Eventually.HoldsAsync(async () => (await server.WalletAsync(key)).GetProperty("held_micros").GetInt64() == 0,
                "every hold is released");
            JsonElement wallet = await server.WalletAsync(key);
            Assert.True(wallet.GetProperty("balance_micros").GetInt64() >= 0);
        }
        Assert.Empty(await server.AuditFindingsAsync());
        using HttpClient health = new() { BaseAddress = server.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await health.GetAsync("readyz")).StatusCode);
        Assert.DoesNotContain("fail: ", server.Output);
    }

    [Fact]
    public async Task EveryRequestReadsItsOwnBodyUnderLoad()
    {
        // Each body names a voice of its own that does not exist, so each answer must quote its own request back.
        // Before, a parsed body could point into a buffer the server had already handed to another request.
        string key = await server.CreateFundedKeyAsync("bodies", "1.00");
        string[] answers = await Task.WhenAll(Enumerable.Range(0, 400).Select(async i =>
        {
            using HttpClient client = new HttpClient { BaseAddress = server.BaseAddress }.WithKey(key);
            string padding = new('x', i % 97);
            using HttpResponseMessage response = i % 2 == 0
                ? await client.PostSpeechAsync(new { model = "tts-1", input = $"Body {i}. {padding}", voice = $"nobody-{i}" })
                : await client.PostAsync("minimax/v1/t2a_v2", HttpJson.Body(new { model = "speech-02-hd", text = $"Body {i}. {padding}", voice_setting = new { voice_id = $"nobody-{i}" } }));
            return await response.Content.ReadAsStringAsync();
        }));
        for (int i = 0; i < answers.Length; i++)
        {
            Assert.Contains($"'nobody-{i}'", answers[i]);
        }
    }

    /// <summary>One hostile request of kind <paramref name="i"/> mod 10; returns how it ended.</summary>
    private static async Task<string> SendAsync(HttpClient client, int i, ConcurrentBag<string> serverIds)
    {
        string text = $"Request {i} speaks a sentence or two. It is short, as most requests are.";
        switch (i % 10)
        {
            case 0 or 1 or 2 or 3:
            {
                using HttpResponseMessage response = await client.PostSpeechAsync(new { model = "tts-1", input = text, voice = "flite:kal16", response_format = "mp3" });
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    serverIds.Add(response.Headers.GetValues("x-voxgate-request-id").Single());
                    await response.Content.ReadAsByteArrayAsync();
                }
                return OpenAiOutcome(response.StatusCode);
            }
            case 4 or 5:
            {
                using HttpResponseMessage response = await client.PostAsync("minimax/v1/t2a_v2", HttpJson.Body(new
                {
                    model = "speech-02-hd", text, stream = i % 10 == 5, voice_setting = new { voice_id = "flite:kal16" }, audio_setting = new { format = "mp3" },
                }));
                string body = await response.Content.ReadAsStringAsync();
                // A stream's last event says how it ended; a refusal is one JSON document, streamed or not.
                JsonElement answer = body.StartsWith("data:", StringComparison.Ordinal) ? MiniMaxApi.Events(body)[^1] : JsonDocument.Parse(body).RootElement;
                string outcome = MiniMaxOutcome(MiniMaxApi.StatusCode(answer));
                return outcome.StartsWith("unexpected", StringComparison.Ordinal) ? $"{outcome}: {MiniMaxApi.StatusMessage(answer)}" : outcome;
            }
            case 6:
            {
                // Hangs up after the first bytes of a long stream.
                using var cancel = new CancellationTokenSource();
                try
                {
                    using HttpResponseMessage response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "v1/audio/speech")
                    {
                        Content = HttpJson.Body(new { model = "tts-1", input = LongText.Make(2000, seed: i), voice = "flite:slt", response_format = "wav" }),
                    }, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        return OpenAiOutcome(response.StatusCode);
                    }
                    await using Stream body = await response.Content.ReadAsStreamAsync(cancel.Token);
                    await body.ReadExactlyAsync(new byte[4096], cancel.Token);
                    await cancel.CancelAsync();
                    return "ok";
                }
                catch (OperationCanceledException)
                {
                    return "ok";
                }
            }
            case 7:
            {
                // Reads a little of a long stream, then stalls until the server drops it.
                try
                {
                    await using StalledReader reader = await StalledReader.StartAsync(client.BaseAddress!, client.DefaultRequestHeaders.Authorization!.Parameter!,
                        characters: 3000, readFirst: 64 * 1024, seed: i);
                    await reader.ReadToEndAsync();
                    return "ok";
                }
                catch (Xunit.Sdk.XunitException)
                {
                    return "refused"; // not admitted: out of money, over the account's concurrency, or saturated
                }
            }
            case 8:
            {
                // Fifty of the longest pauses for a few hundred characters: refused before any synthesis.
                string bomb = string.Concat(Enumerable.Repeat("Wait <#99.99#> ", 50));
                using HttpResponseMessage response = await client.PostSpeechAsync(new { model = "tts-1", input = bomb, voice = "flite:kal16" });
                return response.StatusCode == HttpStatusCode.BadRequest ? "refused-input" : OpenAiOutcome(response.StatusCode);
            }
            default:
            {
                // A dictionary that turns ten characters into a hundred: spoken, and billed as such.
                JsonElement answer = await new MiniMaxApi(client).PostAsync("t2a_v2", new
                {
                    model = "speech-02-hd", text = "Say WORD.", voice_setting = new { voice_id = "flite:kal16" },
                    pronunciation_dict = new { tone = new[] { "WORD/" + string.Join(' ', Enumerable.Repeat("again", 16)) } },
                });
                int code = MiniMaxApi.StatusCode(answer);
                if (code == 0)
                {
                    Assert.True(answer.GetProperty("extra_info").GetProperty("usage_characters").GetInt32() > 90);
                }
                return MiniMaxOutcome(code);
            }
        }
    }

    private static string OpenAiOutcome(HttpStatusCode status) => status switch
    {
        HttpStatusCode.OK => "ok",
        HttpStatusCode.PaymentRequired or HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable => "refused",
        _ => $"unexpected {(int)status}",
    };

    private static string MiniMaxOutcome(int code) => code switch
    {
        0 => "ok",
        1008 or 1002 or 1041 => "refused",
        _ => $"unexpected {code}",
    };
}
