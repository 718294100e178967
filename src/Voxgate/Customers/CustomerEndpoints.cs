using System.Globalization;
using System.Text.Json;
using Voxgate.Auth;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.ProviderKeys;
using Voxgate.Gateway.Usage;
using Voxgate.Http;
using Voxgate.OpenAi;

namespace Voxgate.Customers;

/// <summary>
/// What a customer sees of their own account with a speech key: usage by day and model, the wallet, and their own
/// provider keys (BYOK). Every answer is scoped to the caller's account.
/// </summary>
public static class CustomerEndpoints
{
    /// <summary>Small JSON bodies only: a provider key.</summary>
    public const long MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapCustomerApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder v1 = app.MapGroup("/v1").WithTags("Account")
            .RequireApiKey(KeyScopes.Speech, denial => OpenAiError.From(denial).ToResult());

        v1.MapGet("/usage", (HttpContext http, int? days, UsageReports usage) =>
                HandleAsync(http, async account => UsageDocuments.ByDay(await usage.ByDayAsync(account, days, http.RequestAborted))))
            .WithSummary("The caller's usage by day and model over the last ?days=30 (at most 366): served requests, failures and refusals apart.");

        v1.MapGet("/wallet", (HttpContext http, WalletService wallets) =>
                HandleAsync(http, async account => WalletDocument.From(await wallets.WalletAsync(account, http.RequestAborted))))
            .WithSummary("The caller's balance, held and available amounts, in micro-dollars.");

        v1.MapGet("/provider-keys", (HttpContext http, ProviderKeyService keys) =>
                HandleAsync(http, async account => new { @object = "list", data = (await keys.ListAsync(account, http.RequestAborted)).Select(ProviderKeyDocument.From) }))
            .WithSummary("The provider keys attached to the caller's account (hints only).");

        v1.MapPut("/provider-keys/{provider}", (HttpContext http, string provider, ProviderKeyService keys) =>
                HandleAsync(http, async account =>
                {
                    using JsonDocument body = await JsonRequestBody.ReadObjectAsync(http.Request, MaxBodyBytes, http.RequestAborted);
                    string apiKey = JsonFields.String(body.RootElement, "api_key")
                        ?? throw new GatewayInputException("api_key", "Send the provider key as {\"api_key\": \"...\"}.");
                    return ProviderKeyDocument.From(await keys.AttachAsync(account, provider, apiKey, http.RequestAborted));
                }))
            .WithSummary("Attaches the caller's own key for an upstream provider (stored encrypted); calls through it are not charged.");

        v1.MapDelete("/provider-keys/{provider}", (HttpContext http, string provider, ProviderKeyService keys) =>
                HandleAsync(http, async account =>
                {
                    await keys.RemoveAsync(account, provider, http.RequestAborted);
                    return new { provider, deleted = true };
                }))
            .WithSummary("Removes the caller's key for a provider.");

        return app;
    }

    /// <summary>Runs an account-scoped action, answering refusals in OpenAI's error format.</summary>
    private static Task<IResult> HandleAsync<T>(HttpContext http, Func<long, Task<T>> action) where T : notnull
    {
        Caller caller = ApiKeyEndpointFilter.CallerOf(http);
        if (caller.AccountId is not long account)
        {
            return Task.FromResult(new OpenAiError(403, OpenAiError.Permission, "This key belongs to no account.", null, "no_account").ToResult());
        }
        return OpenAiResults.RunAsync(async () => (object)await action(account));
    }
}

/// <summary>Runs an action and turns its refusals (bad body, not found, conflict, invalid input) into OpenAI errors.</summary>
public static class OpenAiResults
{
    public static async Task<IResult> RunAsync(Func<Task<object>> action, int status = StatusCodes.Status200OK)
    {
        try
        {
            return Results.Json(await action(), OpenAiJson.Options, statusCode: status);
        }
        catch (Exception ex) when (OpenAiError.ForRefusal(ex) is { } error)
        {
            return error.ToResult();
        }
    }
}

/// <summary>
/// A usage report as JSON: <c>requests</c> and <c>characters</c> count what was served (succeeded, or cancelled
/// after audio was sent), <c>failed</c> the admitted requests that failed (never charged), <c>refused</c> the requests
/// refused before synthesis (401, 402, 429, 503), with <c>refusals</c> giving them by reason.
/// </summary>
public static class UsageDocuments
{
    public static object ByDay(UsageReport report) => new
    {
        @object = "list",
        data = report.Days.Select(d => new
        {
            date = d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            model = d.Model,
            requests = d.Requests,
            characters = d.Characters,
            cost_micros = d.CostMicros,
            cost_usd = Money.FormatDollars(d.CostMicros),
            byok_requests = d.ByokRequests,
            failed = d.Failed,
            refused = d.Refused,
        }),
        total = new
        {
            requests = report.Requests,
            characters = report.Characters,
            cost_micros = report.CostMicros,
            cost_usd = Money.FormatDollars(report.CostMicros),
            failed = report.Failed,
            refused = report.Refused,
        },
        refusals = report.Refusals.ToDictionary(r => r.Status, r => r.Count),
    };
}

public sealed record WalletDocument(long BalanceMicros, string BalanceUsd, long HeldMicros, long AvailableMicros, string AvailableUsd)
{
    public static WalletDocument From(WalletState wallet) => new(wallet.BalanceMicros, Money.FormatDollars(wallet.BalanceMicros),
        wallet.HeldMicros, wallet.AvailableMicros, Money.FormatDollars(wallet.AvailableMicros));
}

public sealed record ProviderKeyDocument(string Provider, string Hint, DateTimeOffset CreatedAt)
{
    public static ProviderKeyDocument From(ProviderKeyInfo key) => new(key.Provider, key.Hint, key.CreatedAt);
}
