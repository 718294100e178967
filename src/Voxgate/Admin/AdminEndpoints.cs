using System.Text.Json;
using Voxgate.Auth;
using Voxgate.Customers;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Usage;
using Voxgate.Http;
using Voxgate.OpenAi;

namespace Voxgate.Admin;

/// <summary>
/// Operator endpoints under <c>/admin</c>, for keys with the admin scope (or <c>VOXGATE_ADMIN_KEY</c>): accounts,
/// keys, top-ups, statements and the model usage ranking. The CLI does the same against the database directly.
/// </summary>
public static class AdminEndpoints
{
    private const long MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder admin = app.MapGroup("/admin").WithTags("Admin")
            .RequireApiKey(KeyScopes.Admin, denial => OpenAiError.From(denial).ToResult());

        admin.MapPost("/accounts", (HttpContext http, AccountService accounts) => OpenAiResults.RunAsync(async () =>
            {
                using JsonDocument body = await ReadAsync(http);
                JsonElement root = body.RootElement;
                Account account = await accounts.CreateAccountAsync(
                    JsonFields.String(root, "name") ?? throw new GatewayInputException("name", "An account needs a 'name'."),
                    JsonFields.Integer(root, "requests_per_minute"), JsonFields.Integer(root, "characters_per_minute"),
                    JsonFields.Integer(root, "concurrent_requests"), http.RequestAborted);
                return AccountDocument.From(account);
            }, StatusCodes.Status201Created))
            .WithSummary("Creates an account: {name, requests_per_minute?, characters_per_minute?, concurrent_requests?}.");

        admin.MapGet("/accounts", (AccountService accounts) =>
                OpenAiResults.RunAsync(async () => (object)new { @object = "list", data = (await accounts.ListAccountsAsync()).Select(AccountDocument.From) }))
            .WithSummary("Lists the accounts with their balances.");

        admin.MapGet("/accounts/{name}", (string name, AccountService accounts, WalletService wallets) => OpenAiResults.RunAsync(async () =>
            {
                Account account = await accounts.GetAccountAsync(name);
                return (object)new { account = AccountDocument.From(account), wallet = WalletDocument.From(await wallets.WalletAsync(account.Id)) };
            }))
            .WithSummary("One account and its wallet.");

        admin.MapPost("/accounts/{name}/keys", (HttpContext http, string name, AccountService accounts) => OpenAiResults.RunAsync(async () =>
            {
                using JsonDocument body = await ReadAsync(http);
                JsonElement root = body.RootElement;
                KeyScopes scopes = JsonFields.TryGet(root, "scopes", out JsonElement list)
                    ? KeyScopeNames.Parse(list.ValueKind == JsonValueKind.Array
                        ? list.EnumerateArray().Select(s => s.GetString() ?? "")
                        : throw new GatewayInputException("scopes", "'scopes' is a list such as [\"speech\"]."))
                    : KeyScopes.Speech;
                (ApiKeyRecord record, string key) = await accounts.CreateKeyAsync(name, JsonFields.String(root, "name"), scopes,
                    JsonFields.Integer(root, "requests_per_minute"), JsonFields.Integer(root, "characters_per_minute"), http.RequestAborted);
                return new { key, shown_once = true, details = KeyDocument.From(record) };
            }, StatusCodes.Status201Created))
            .WithSummary("Creates a key for the account; the key is in this response only.");

        admin.MapGet("/accounts/{name}/keys", (string name, AccountService accounts) =>
                OpenAiResults.RunAsync(async () => (object)new { @object = "list", data = (await accounts.ListKeysAsync(name)).Select(KeyDocument.From) }))
            .WithSummary("Lists an account's keys by prefix.");

        admin.MapPost("/keys/{prefix}/revoke", (string prefix, AccountService accounts) => OpenAiResults.RunAsync(async () =>
            {
                await accounts.RevokeKeyAsync(prefix);
                return (object)new { prefix, revoked = true };
            }))
            .WithSummary("Revokes a key; it stops working at once.");

        admin.MapPost("/accounts/{name}/topups", (HttpContext http, string name, AccountService accounts, WalletService wallets) => OpenAiResults.RunAsync(async () =>
            {
                using JsonDocument body = await ReadAsync(http);
                long micros = TopUpAmount.Parse(JsonFields.String(body.RootElement, "amount"));
                (LedgerEntry topUp, LedgerEntry fee, WalletState wallet) = await wallets.TopUpAsync(await accounts.GetAccountAsync(name), micros,
                    JsonFields.String(body.RootElement, "note"));
                return new { topup = LedgerDocument.From(topUp), fee = LedgerDocument.From(fee), wallet = WalletDocument.From(wallet) };
            }, StatusCodes.Status201Created))
            .WithSummary("Adds credit: the amount and the platform fee are two ledger lines; the wallet gains the amount minus the fee.");

        admin.MapGet("/accounts/{name}/ledger", (string name, int? limit, AccountService accounts, WalletService wallets) =>
                OpenAiResults.RunAsync(async () => (object)new
                {
                    @object = "list",
                    data = (await wallets.LedgerAsync((await accounts.GetAccountAsync(name)).Id, limit ?? 50)).Select(LedgerDocument.From),
                }))
            .WithSummary("The account's latest ledger lines, newest first.");

        admin.MapGet("/accounts/{name}/usage", (string name, int? days, AccountService accounts, UsageReports usage) =>
                OpenAiResults.RunAsync(async () => UsageDocuments.ByDay(await usage.ByDayAsync((await accounts.GetAccountAsync(name)).Id, days))))
            .WithSummary("An account's usage by day and model, failures and refusals apart.");

        admin.MapGet("/usage", (int? days, UsageReports usage) =>
                OpenAiResults.RunAsync(async () => UsageDocuments.ByDay(await usage.ByDayAsync(null, days))))
            .WithSummary("Every account's usage by day and model, failures and refusals apart.");

        admin.MapGet("/audit", (IMoneyAuditor auditor, TimeProvider time) =>
                OpenAiResults.RunAsync(async () =>
                {
                    IReadOnlyList<AuditFinding> findings = await auditor.AuditAsync(time.GetUtcNow());
                    return (object)new
                    {
                        ok = findings.Count == 0,
                        findings = findings.Select(f => new { check = f.Check, subject = f.Subject, detail = f.Detail }),
                    };
                }))
            .WithSummary("Checks the money invariants (balances equal ledgers, one charge per request with its usage, no stale holds, task charges match outcomes).");

        admin.MapGet("/usage/models", (int? days, UsageReports usage) =>
                OpenAiResults.RunAsync(async () => (object)new
                {
                    @object = "list",
                    data = (await usage.RankModelsAsync(days))
                        .Select((m, i) => new
                        {
                            rank = i + 1,
                            model = m.Model,
                            requests = m.Requests,
                            characters = m.Characters,
                            cost_micros = m.CostMicros,
                            cost_usd = Money.FormatDollars(m.CostMicros),
                            accounts = m.Accounts,
                            failed = m.Failed,
                            refused = m.Refused,
                        }),
                }))
            .WithSummary("Models ranked by characters synthesised (the listing's usage ranking).");

        return app;
    }

    private static Task<JsonDocument> ReadAsync(HttpContext http) =>
        JsonRequestBody.ReadObjectAsync(http.Request, MaxBodyBytes, http.RequestAborted);
}

public sealed record AccountDocument(string Name, long BalanceMicros, string BalanceUsd, int? RequestsPerMinute, int? CharactersPerMinute,
    int? ConcurrentRequests, DateTimeOffset CreatedAt)
{
    public static AccountDocument From(Account a) =>
        new(a.Name, a.BalanceMicros, Money.FormatDollars(a.BalanceMicros), a.RequestsPerMinute, a.CharactersPerMinute, a.ConcurrentRequests, a.CreatedAt);
}

public sealed record KeyDocument(string Prefix, string? Name, IReadOnlyList<string> Scopes, int? RequestsPerMinute, int? CharactersPerMinute,
    DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public static KeyDocument From(ApiKeyRecord k) =>
        new(k.Prefix, k.Name, [.. KeyScopeNames.Names(k.Scopes)], k.RequestsPerMinute, k.CharactersPerMinute, k.CreatedAt, k.RevokedAt);
}

/// <param name="UncollectedMicros">For a charge, what the balance could not cover (a shortfall; 0 almost always).</param>
public sealed record LedgerDocument(long Id, string Kind, long AmountMicros, string AmountUsd, string? RequestId, string? Note, DateTimeOffset CreatedAt,
    long UncollectedMicros)
{
    public static LedgerDocument From(LedgerEntry e) =>
        new(e.Id, e.Kind, e.AmountMicros, Money.FormatDollars(e.AmountMicros), e.RequestId, e.Note, e.CreatedAt, e.UncollectedMicros);
}
