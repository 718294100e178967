using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.WebConsole;

/// <summary>
/// The dashboard's voices page keeps each account's voices to itself: a voice designed through the MiniMax API by one
/// account is not listed for another, whose delete of its id is answered exactly as a missing id's and leaves it in
/// place; its owner sees it in the browser and deletes it there.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class VoicesDashboardBrowserTests(ConsoleFixture console)
{
    private static async Task<string[]> DesignedVoicesAsync(MiniMaxApi api) =>
        [.. MiniMaxApi.Ok(await api.PostAsync("get_voice", new { voice_type = "voice_generation" }))
            .GetProperty("voice_generation").EnumerateArray().Select(v => v.GetProperty("voice_id").GetString()!)];

    /// <summary>A rendered page with <paramref name="id"/> and the per-render antiforgery tokens replaced, to compare shapes.</summary>
    private static async Task<string> ShapeAsync(HttpResponseMessage response, string id) =>
        FormToken().Replace(await response.Content.ReadAsStringAsync(), "value=\"TOKEN\"").Replace(id, "ID", StringComparison.Ordinal);

    [Fact]
    public async Task AnotherAccountNeitherSeesNorDeletesAVoiceItsOwnerDeletesInTheBrowser()
    {
        string ownerKey = await console.Server.CreateFundedKeyAsync("voices-owner", "5.00");
        string otherKey = await console.Server.CreateFundedKeyAsync("voices-other", "5.00");
        using HttpClient ownerClient = console.Server.Client().WithKey(ownerKey);
        var owner = new MiniMaxApi(ownerClient);
        JsonElement designed = MiniMaxApi.Ok(await owner.PostAsync("voice_design",
            new { prompt = "A calm, low-voiced woman", preview_text = "A short trial of the designed voice.", voice_id = "ConsoleOwned01" }));
        string voiceId = designed.GetProperty("voice_id").GetString()!;
        Assert.Equal("ConsoleOwned01", voiceId);

        // The other account's dashboard does not list it.
        await using (ConsolePage other = await console.OpenAsync())
        {
            await other.SignInAsync(otherKey);
            await other.GoAsync("/console/voices");
            Assert.Equal(0, await other.Page.Locator("table.voices tr[data-voice]").CountAsync());
            Assert.DoesNotContain(voiceId, await other.Page.ContentAsync(), StringComparison.Ordinal);
            await other.ScreenshotAsync("voices-other-account");
            await other.AssertCleanAsync();
        }

        // Its delete of the id is answered as a missing id's: same status, same page but for the id.
        using (ConsoleBrowserSession other = new(console.Server.BaseAddress))
        {
            (await other.SignInAsync(otherKey)).Dispose();
            const string Missing = "NoSuchVoice01";
            using HttpResponseMessage theirs = await other.PostFormAsync("/console/voices?handler=Delete", await other.FormTokenAsync("/console/voices"), ("id", voiceId));
            using HttpResponseMessage nobodys = await other.PostFormAsync("/console/voices?handler=Delete", await other.FormTokenAsync("/console/voices"), ("id", Missing));
            Assert.Equal(HttpStatusCode.NotFound, nobodys.StatusCode);
            Assert.Equal(nobodys.StatusCode, theirs.StatusCode);
            string missingShape = await ShapeAsync(nobodys, Missing);
            Assert.Contains("role=\"alert\"", missingShape, StringComparison.Ordinal);
            Assert.Equal(missingShape, await ShapeAsync(theirs, voiceId));
        }
        Assert.Equal([voiceId], await DesignedVoicesAsync(owner));

        // The owner sees it and deletes it in the browser.
        await using (ConsolePage page = await console.OpenAsync())
        {
            await page.SignInAsync(ownerKey);
            await page.GoAsync("/console/voices");
            ILocator row = page.Page.Locator($"table.voices tr[data-voice='{voiceId}']");
            Assert.Equal(1, await row.CountAsync());
            Assert.Contains("designed", await row.InnerTextAsync(), StringComparison.Ordinal);
            await page.ScreenshotAsync("voices-owner");
            await page.AssertCleanAsync();

            await row.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
            await Assertions.Expect(row).ToHaveCountAsync(0);
            Assert.Equal(0, await page.Page.Locator("p[role='alert']").CountAsync());
            await page.ScreenshotAsync("voices-owner-deleted");
            await page.AssertCleanAsync();
        }
        Assert.Empty(await DesignedVoicesAsync(owner));
    }

    [GeneratedRegex("value=\"[^\"]{40,}\"")]
    private static partial Regex FormToken();
}
