using System.CommandLine;
using System.Globalization;
using Voxgate.Customers;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.ProviderKeys;
using Voxgate.Gateway.Usage;

namespace Voxgate.Cli;

/// <summary>
/// <c>accounts</c>, <c>keys</c>, <c>wallet</c>, <c>usage</c> and <c>byok</c>: the admin API's operations, run against the
/// database in the data directory directly (also while a server uses it: SQLite in WAL mode serialises the writers).
/// </summary>
public static class GatewayCommands
{
    public static IEnumerable<Command> Create() => [Accounts(), Keys(), Wallet(), Usage(), Byok(), Audit()];

    /// <summary><c>voxgate audit</c>: the money invariants; exit code 1 when any is broken.</summary>
    private static Command Audit()
    {
        Option<string?> data = VoxgateCli.DataOption();
        var audit = new Command("audit", "Check the money invariants (balances, charges, holds, tasks); exit code 1 if any is broken.") { data };
        audit.SetAction(async (parse, cancellationToken) =>
        {
            await using ServiceProvider services = await CliServices.CreateAsync(parse.GetValue(data), cancellationToken);
            IReadOnlyList<AuditFinding> findings = await services.GetRequiredService<IMoneyAuditor>().AuditAsync(
                services.GetRequiredService<TimeProvider>().GetUtcNow(), cancellationToken);
            foreach (AuditFinding finding in findings)
            {
                Console.WriteLine($"{finding.Check}: {finding.Subject}: {finding.Detail}");
            }
            Console.WriteLine(findings.Count == 0 ? "Audit: the books are sound." : $"Audit: {findings.Count} finding(s).");
            return findings.Count == 0 ? 0 : 1;
        });
        return audit;
    }

    private static Command Accounts()
    {
        var name = new Argument<string>("name") { Description = "Account name." };
        var rpm = RequestsPerMinute();
        var cpm = CharactersPerMinute();
        var concurrency = new Option<int?>("--concurrency") { Description = "Requests in flight at once (default: the server's)." };
        Option<string?> data = VoxgateCli.DataOption();
        var create = new Command("create", "Create an account.") { name, rpm, cpm, concurrency, data };
        create.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(data), async services =>
        {
            Account account = await services.GetRequiredService<AccountService>().CreateAccountAsync(parse.GetValue(name)!, parse.GetValue(rpm), parse.GetValue(cpm),
                parse.GetValue(concurrency));
            Console.WriteLine($"Created account {account.Name}.");
        }));
        Option<string?> listData = VoxgateCli.DataOption();
        var list = new Command("list", "List the accounts and their balances.") { listData };
        list.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(listData), async services =>
        {
            Console.WriteLine($"{"ACCOUNT",-24} {"BALANCE",14} {"RPM",8} {"CPM",10}  CREATED");
            foreach (Account a in await services.GetRequiredService<AccountService>().ListAccountsAsync())
            {
                Console.WriteLine($"{a.Name,-24} {"$" + Money.FormatDollars(a.BalanceMicros),14} {a.RequestsPerMinute?.ToString(CultureInfo.InvariantCulture) ?? "-",8} {a.CharactersPerMinute?.ToString(CultureInfo.InvariantCulture) ?? "-",10}  {a.CreatedAt:yyyy-MM-dd}");
            }
        }));
        return new Command("accounts", "Manage accounts.") { create, list };
    }

    private static Command Keys()
    {
        var account = AccountOption(required: true);
        var name = new Option<string?>("--name") { Description = "A name to tell the key apart." };
        var scopes = new Option<string>("--scopes") { Description = "Comma-separated: speech, admin.", DefaultValueFactory = _ => "speech" };
        var rpm = RequestsPerMinute();
        var cpm = CharactersPerMinute();
        Option<string?> data = VoxgateCli.DataOption();
        var create = new Command("create", "Create an API key; it is printed once, on stdout.") { account, name, scopes, rpm, cpm, data };
        create.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(data), async services =>
        {
            (ApiKeyRecord record, string key) = await services.GetRequiredService<AccountService>().CreateKeyAsync(parse.GetValue(account)!, parse.GetValue(name),
                KeyScopeNames.Parse(parse.GetValue(scopes)!.Split(',', StringSplitOptions.RemoveEmptyEntries)), parse.GetValue(rpm), parse.GetValue(cpm));
            Console.Error.WriteLine($"Key {record.Prefix}... for {parse.GetValue(account)} ({KeyScopeNames.Format(record.Scopes)}). It is shown once; store it now.");
            Console.WriteLine(key);
        }));

        var listAccount = AccountOption(required: true);
        Option<string?> listData = VoxgateCli.DataOption();
        var list = new Command("list", "List an account's keys (prefixes only).") { listAccount, listData };
        list.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(listData), async services =>
        {
            Console.WriteLine($"{"PREFIX",-14} {"NAME",-16} {"SCOPES",-14} {"RPM",6} {"CPM",8}  STATE");
            foreach (ApiKeyRecord k in await services.GetRequiredService<AccountService>().ListKeysAsync(parse.GetValue(listAccount)!))
            {
                Console.WriteLine($"{k.Prefix,-14} {k.Name ?? "-",-16} {KeyScopeNames.Format(k.Scopes),-14} {k.RequestsPerMinute?.ToString(CultureInfo.InvariantCulture) ?? "-",6} {k.CharactersPerMinute?.ToString(CultureInfo.InvariantCulture) ?? "-",8}  {(k.IsRevoked ? $"revoked {k.RevokedAt:yyyy-MM-dd HH:mm}" : "live")}");
            }
        }));

        var prefix = new Argument<string>("prefix") { Description = "The key's prefix, as listed (sk-vg-XXXXXX)." };
        var revokeAccount = AccountOption(required: false);
        Option<string?> revokeData = VoxgateCli.DataOption();
        var revoke = new Command("revoke", "Revoke a key; it stops working at once, also on a running server.") { prefix, revokeAccount, revokeData };
        revoke.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(revokeData), async services =>
        {
            await services.GetRequiredService<AccountService>().RevokeKeyAsync(parse.GetValue(prefix)!, parse.GetValue(revokeAccount));
            Console.WriteLine($"Revoked {parse.GetValue(prefix)}.");
        }));
        return new Command("keys", "Manage API keys.") { create, list, revoke };
    }

    private static Command Wallet()
    {
        var account = AccountOption(required: true);
        var amount = new Option<string>("--amount") { Description = "Dollars, e.g. 10.00.", Required = true };
        var note = new Option<string?>("--note") { Description = "A note on the ledger line." };
        Option<string?> data = VoxgateCli.DataOption();
        var topup = new Command("topup", "Add credit; the platform fee is taken from it as a separate ledger line.") { account, amount, note, data };
        topup.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(data), async services =>
        {
            if (!Money.TryParseDollars(parse.GetValue(amount)!, out long micros))
            {
                throw new GatewayInputException("amount", $"'{parse.GetValue(amount)}' is not a positive dollar amount with at most six decimals.");
            }
            Account target = await services.GetRequiredService<AccountService>().GetAccountAsync(parse.GetValue(account)!);
            (LedgerEntry topUp, LedgerEntry fee, WalletState wallet) = await services.GetRequiredService<WalletService>().TopUpAsync(target, micros, parse.GetValue(note));
            Console.WriteLine($"Topped up {target.Name}: +${Money.FormatDollars(topUp.AmountMicros)}, fee -${Money.FormatDollars(-fee.AmountMicros)}; balance ${Money.FormatDollars(wallet.BalanceMicros)}.");
        }));

        var showAccount = AccountOption(required: true);
        var lines = new Option<int>("--lines") { Description = "Ledger lines to show.", DefaultValueFactory = _ => 20 };
        Option<string?> showData = VoxgateCli.DataOption();
        var show = new Command("show", "Show an account's balance, holds and latest ledger lines.") { showAccount, lines, showData };
        show.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(showData), async services =>
        {
            Account target = await services.GetRequiredService<AccountService>().GetAccountAsync(parse.GetValue(showAccount)!);
            WalletService wallets = services.GetRequiredService<WalletService>();
            WalletState wallet = await wallets.WalletAsync(target.Id);
            Console.WriteLine($"{target.Name}: balance ${Money.FormatDollars(wallet.BalanceMicros)}, held ${Money.FormatDollars(wallet.HeldMicros)}, available ${Money.FormatDollars(wallet.AvailableMicros)}");
            foreach (LedgerEntry e in await wallets.LedgerAsync(target.Id, parse.GetValue(lines)))
            {
                string shortfall = e.UncollectedMicros > 0 ? $"  (uncollected ${Money.FormatDollars(e.UncollectedMicros)})" : "";
                Console.WriteLine($"  {e.CreatedAt:yyyy-MM-dd HH:mm:ss}  {e.Kind,-7} {Money.FormatDollars(e.AmountMicros),14}  {e.RequestId ?? e.Note ?? ""}{shortfall}");
            }
        }));
        return new Command("wallet", "Top up and inspect wallets.") { topup, show };
    }

    private static Command Usage()
    {
        var account = AccountOption(required: false);
        var days = new Option<int>("--days") { Description = "How many days back.", DefaultValueFactory = _ => UsageReports.DefaultDays };
        var models = new Option<bool>("--models") { Description = "Rank models by usage across all accounts instead." };
        Option<string?> data = VoxgateCli.DataOption();
        var usage = new Command("usage", "Usage by day and model (one account, or all), or the model ranking.") { account, days, models, data };
        usage.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(data), async services =>
        {
            UsageReports reports = services.GetRequiredService<UsageReports>();
            if (parse.GetValue(models))
            {
                Console.WriteLine($"{"#",3} {"MODEL",-34} {"REQUESTS",9} {"CHARACTERS",12} {"COST",12} {"ACCOUNTS",9} {"FAILED",7} {"REFUSED",8}");
                int rank = 0;
                foreach (ModelRanking m in await reports.RankModelsAsync(parse.GetValue(days)))
                {
                    Console.WriteLine($"{++rank,3} {m.Model,-34} {m.Requests,9} {m.Characters,12} {"$" + Money.FormatDollars(m.CostMicros),12} {m.Accounts,9} {m.Failed,7} {m.Refused,8}");
                }
                return;
            }
            long? accountId = parse.GetValue(account) is { } name ? (await services.GetRequiredService<AccountService>().GetAccountAsync(name)).Id : null;
            UsageReport report = await reports.ByDayAsync(accountId, parse.GetValue(days));
            Console.WriteLine($"{"DATE",-10} {"MODEL",-34} {"REQUESTS",9} {"CHARACTERS",12} {"COST",12} {"BYOK",5} {"FAILED",7} {"REFUSED",8}");
            foreach (UsageByDay d in report.Days)
            {
                Console.WriteLine($"{d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),-10} {d.Model,-34} {d.Requests,9} {d.Characters,12} {"$" + Money.FormatDollars(d.CostMicros),12} {d.ByokRequests,5} {d.Failed,7} {d.Refused,8}");
            }
            Console.WriteLine($"{"TOTAL",-10} {"",-34} {report.Requests,9} {report.Characters,12} {"$" + Money.FormatDollars(report.CostMicros),12} {"",5} {report.Failed,7} {report.Refused,8}");
            foreach (RefusalTotal refusal in report.Refusals)
            {
                Console.WriteLine($"refused {refusal.Status}: {refusal.Count}");
            }
        }));
        return usage;
    }

    private static Command Byok()
    {
        var account = AccountOption(required: true);
        var provider = new Option<string>("--provider") { Description = "Upstream provider name, as configured (e.g. minimax).", Required = true };
        Option<string?> data = VoxgateCli.DataOption();
        var set = new Command("set", "Attach an account's own provider key, read from stdin (never from the command line).") { account, provider, data };
        set.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(data), async services =>
        {
            Account target = await services.GetRequiredService<AccountService>().GetAccountAsync(parse.GetValue(account)!);
            string key = Console.In.ReadToEnd();
            ProviderKeyInfo info = await services.GetRequiredService<ProviderKeyService>().AttachAsync(target.Id, parse.GetValue(provider)!, key);
            Console.WriteLine($"Attached a {info.Provider} key ({info.Hint}) to {target.Name}; it is stored encrypted.");
        }));
        var listAccount = AccountOption(required: true);
        Option<string?> listData = VoxgateCli.DataOption();
        var list = new Command("list", "List an account's provider keys (hints only).") { listAccount, listData };
        list.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(listData), async services =>
        {
            Account target = await services.GetRequiredService<AccountService>().GetAccountAsync(parse.GetValue(listAccount)!);
            foreach (ProviderKeyInfo info in await services.GetRequiredService<ProviderKeyService>().ListAsync(target.Id))
            {
                Console.WriteLine($"{info.Provider,-16} {info.Hint,-10} {info.CreatedAt:yyyy-MM-dd}");
            }
        }));
        var removeAccount = AccountOption(required: true);
        var removeProvider = new Option<string>("--provider") { Description = "Upstream provider name.", Required = true };
        Option<string?> removeData = VoxgateCli.DataOption();
        var remove = new Command("remove", "Remove an account's provider key.") { removeAccount, removeProvider, removeData };
        remove.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(removeData), async services =>
        {
            Account target = await services.GetRequiredService<AccountService>().GetAccountAsync(parse.GetValue(removeAccount)!);
            await services.GetRequiredService<ProviderKeyService>().RemoveAsync(target.Id, parse.GetValue(removeProvider)!);
            Console.WriteLine($"Removed the {parse.GetValue(removeProvider)} key of {target.Name}.");
        }));
        return new Command("byok", "Customers' own provider keys (bring your own key).") { set, list, remove };
    }

    private static Option<string?> AccountOption(bool required) => new("--account") { Description = "Account name.", Required = required };

    private static Option<int?> RequestsPerMinute() => new("--rpm") { Description = "Requests per minute (default: the account's, else the server's)." };

    private static Option<int?> CharactersPerMinute() => new("--cpm") { Description = "Characters per minute (default: the account's, else the server's)." };

    /// <summary>Runs a command against the data directory's database; refusals print as one line and exit 2.</summary>
    private static async Task<int> RunAsync(string? dataDirectory, Func<IServiceProvider, Task> action)
    {
        await using ServiceProvider services = await CliServices.CreateAsync(dataDirectory);
        try
        {
            await action(services);
            return 0;
        }
        catch (Exception ex) when (ex is GatewayInputException or NotFoundException or ConflictException)
        {
            Console.Error.WriteLine(ex.Message);
            return 2;
        }
    }
}
