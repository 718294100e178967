using System.CommandLine;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Storage;
using Voxgate.Hosting;

namespace Voxgate.Cli;

/// <summary>
/// <c>voxgate storage copy --from sqlite:PATH --to postgres://...</c>: the way from one machine to several, copying the
/// embedded database (and its master key) into a new PostgreSQL database in one verified transaction
/// (<see cref="DatabaseCopy"/>). Exit codes: 0 copied, 1 the verification found a difference (rolled back), 2 refused.
/// </summary>
public static class StorageCommand
{
    public static Command Create()
    {
        var from = new Option<string?>("--from")
        {
            Description = "The SQLite database to copy: sqlite:PATH (default: voxgate.db in the data directory). Its master.key is read beside it.",
        };
        var to = new Option<string>("--to")
        {
            Description = "The new PostgreSQL database: postgres://user:password@host:port/db or postgres:<Npgsql connection string>. It must hold no accounts.",
            Required = true,
        };
        Option<string?> data = VoxgateCli.DataOption();
        var copy = new Command("copy", "Copy a SQLite database and its master key into a new PostgreSQL database, in one transaction, verified before it commits.")
        {
            from, to, data,
        };
        copy.SetAction((parse, cancellationToken) => CopyAsync(parse.GetValue(from), parse.GetValue(to)!, parse.GetValue(data), cancellationToken));
        return new Command("storage", "The gateway's database: move it from SQLite to PostgreSQL.") { copy };
    }

    private static async Task<int> CopyAsync(string? from, string to, string? dataDirectory, CancellationToken cancellationToken)
    {
        DatabaseAddress source, target;
        try
        {
            string data = ServerSettings.ResolveDataDirectory(dataDirectory);
            source = DatabaseAddress.Parse(from, data);
            target = DatabaseAddress.Parse(to, data);
        }
        catch (ArgumentException ex)
        {
            return Refuse(ex.Message);
        }
        if (source.Provider != DatabaseAddress.Sqlite)
        {
            return Refuse("storage copy reads a SQLite database: --from sqlite:PATH.");
        }
        if (target.Provider != DatabaseAddress.Postgres)
        {
            return Refuse("storage copy fills a PostgreSQL database: --to postgres://user:password@host:port/db or postgres:<Npgsql connection string>.");
        }

        using ILoggerFactory logging = CliServices.CreateLoggerFactory();
        await using var postgres = new PostgresDatabase(target.Target, logging.CreateLogger<PostgresDatabase>());
        DatabaseCopyReport report;
        try
        {
            report = await DatabaseCopy.CopyAsync(source.Target, postgres, new RowsPerTable(), cancellationToken);
        }
        catch (DatabaseCopyException ex)
        {
            return Refuse(ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.Error.WriteLine("Cancelled: the transaction was rolled back and nothing was copied.");
            return 130;
        }
        Print(report);
        if (!report.Committed)
        {
            Console.Error.WriteLine($"The verification found {report.Mismatches.Count} difference(s); the copy was rolled back and {report.Target} holds nothing of it:");
            foreach (string mismatch in report.Mismatches)
            {
                Console.Error.WriteLine("  " + mismatch);
            }
            return 1;
        }
        return 0;
    }

    private static int Refuse(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }

    private static void Print(DatabaseCopyReport report)
    {
        Console.WriteLine($"{"TABLE",-16} {"SOURCE",12} {"TARGET",12}");
        foreach (CopiedTable table in report.Tables)
        {
            Console.WriteLine($"{table.Name,-16} {table.SourceRows,12} {table.TargetRows,12}");
        }
        if (!report.Committed)
        {
            return;
        }
        Console.WriteLine($"Books: {report.Accounts} accounts, {report.LedgerLines} ledger lines summing to ${Money.FormatDollars(report.LedgerMicros)}, equal on both sides.");
        Console.WriteLine(report.KeyTransfer switch
        {
            MasterKeyTransfer.Copied => $"Master key: {report.MasterKeyFile} copied into the target's secrets.",
            MasterKeyTransfer.AlreadyPresent => $"Master key: the target already holds the key of {report.MasterKeyFile}.",
            _ => $"Master key: there is no {report.MasterKeyFile}. If the SQLite server ran with VOXGATE_MASTER_KEY, give every node the same one, "
                + "or links signed and provider keys sealed before the copy will not open.",
        });
        if (report.SourceRows("files") > 0)
        {
            Console.WriteLine($"Stored files: the bytes stay where the SQLite server kept them (default {Path.Combine(Path.GetDirectoryName(report.Source)!, "files")}); "
                + "give every node that directory as --files, or copy it to the shared one.");
        }
        Console.WriteLine($"Copied {report.Source} into {report.Target}.");
    }

    /// <summary>Rows per table on stderr as the copy goes: a bar on a terminal, else a line per table when it is done.</summary>
    private sealed class RowsPerTable : IProgress<TableCopyProgress>
    {
        private string? _table;
        private ProgressBar? _bar;

        public void Report(TableCopyProgress value)
        {
            if (value.Table != _table || _bar is null)
            {
                _table = value.Table;
                _bar = new ProgressBar($"{value.Table,-16}", value.Total);
            }
            _bar.Report(value.Rows);
            if (!_bar.Visible && value.Rows == value.Total)
            {
                Console.Error.WriteLine($"{value.Table}: {value.Rows} rows copied");
            }
        }
    }
}
