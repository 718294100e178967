using System.Text.Json;

namespace Voxgate.Tests.Support;

/// <summary>What tests against a real server (one process, or a cluster behind nginx) do through its admin and wallet API.</summary>
public static class AdminApi
{
    /// <summary>Creates an account (if new) with a speech key and credit, through the admin API; returns the key.</summary>
    public static async Task<string> CreateFundedKeyAsync(HttpClient admin, string account, string dollars, int? requestsPerMinute = null)
    {
        HttpResponseMessage created = await admin.PostAsync("admin/accounts", HttpJson.Body(new { name = account }));
        Assert.True(created.IsSuccessStatusCode || created.StatusCode == System.Net.HttpStatusCode.Conflict, await created.Content.ReadAsStringAsync());
        HttpResponseMessage key = await admin.PostAsync($"admin/accounts/{account}/keys",
            HttpJson.Body(new { name = "e2e", requests_per_minute = requestsPerMinute ?? 100_000, characters_per_minute = 100_000_000 }));
        Assert.True(key.IsSuccessStatusCode, await key.Content.ReadAsStringAsync());
        HttpResponseMessage topUp = await admin.PostAsync($"admin/accounts/{account}/topups", HttpJson.Body(new { amount = dollars }));
        Assert.True(topUp.IsSuccessStatusCode, await topUp.Content.ReadAsStringAsync());
        return (await key.JsonAsync()).GetProperty("key").GetString()!;
    }

    /// <summary>The caller's wallet (<c>GET /v1/wallet</c>): balance, held and available micro-dollars.</summary>
    public static async Task<JsonElement> WalletAsync(HttpClient customer) => await (await customer.GetAsync("v1/wallet")).JsonAsync();

    /// <summary>The account's charge lines in the ledger (for one request id, or all).</summary>
    public static async Task<List<JsonElement>> ChargesAsync(HttpClient admin, string account, string? requestId)
    {
        JsonElement ledger = await (await admin.GetAsync($"admin/accounts/{account}/ledger?limit=1000")).JsonAsync();
        return [.. ledger.GetProperty("data").EnumerateArray()
            .Where(l => l.GetProperty("kind").GetString() == "charge" && (requestId is null || l.GetProperty("request_id").GetString() == requestId))];
    }
}
