using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using Voxgate.Gateway.Security;

namespace Voxgate.Gateway.Storage;

/// <summary>
/// Copies a populated SQLite database (and the master key beside it) into a new PostgreSQL database: the way from one
/// machine to several (<c>voxgate storage copy</c>). The tables are the source's own, read from its schema and matched
/// column by column with the target's; ids are copied unchanged (files are named by tasks, keys by usage) and the
/// target's identity sequences are moved past them. The source is only read, inside one snapshot; the target is
/// filled by binary COPY, streamed row by row, inside one transaction that commits only after the row counts of every
/// table and the ledger of every account agree on both sides.
/// </summary>
public static class DatabaseCopy
{
    /// <summary>
    /// Shared secrets are not copied blind: a node started on the target may already have stored a master key. The
    /// source's secrets (and its key file) are added where the target has none, and refused where it has another.
    /// </summary>
    private const string SecretsTable = "secrets";

    private const int ProgressEvery = 10_000;

    /// <summary>
    /// One query for the books of every account, written once for both providers: the balance, and the count and
    /// sums of its ledger lines.
    /// </summary>
    private const string BooksSql =
        """
        SELECT a.id, a.balance_micros, COUNT(l.id), COALESCE(SUM(l.amount_micros), 0), COALESCE(SUM(l.uncollected_micros), 0)
        FROM accounts a LEFT JOIN ledger l ON l.account_id = a.id
        GROUP BY a.id, a.balance_micros ORDER BY a.id
        """;

    private const string LedgerTotalSql = "SELECT COUNT(*), COALESCE(SUM(amount_micros), 0) FROM ledger";

    /// <summary>
    /// Copies the SQLite database at <paramref name="sqlitePath"/> into <paramref name="target"/> (migrated first),
    /// reporting rows per table as they go. Returns what was copied; when the verification finds a difference the
    /// transaction is rolled back and the report lists the differences instead (<see cref="DatabaseCopyReport.Committed"/>).
    /// </summary>
    /// <exception cref="DatabaseCopyException">Either side cannot be opened, the source is not at this version's schema,
    /// the target holds data or another master key, or the copy failed (nothing was copied).</exception>
    public static async Task<DatabaseCopyReport> CopyAsync(string sqlitePath, PostgresDatabase target, IProgress<TableCopyProgress>? progress,
        CancellationToken cancellationToken)
    {
        sqlitePath = Path.GetFullPath(sqlitePath);
        string masterKeyFile = Path.Combine(Path.GetDirectoryName(sqlitePath)!, "master.key");
        byte[]? masterKey = ReadMasterKey(masterKeyFile);
        await using SqliteConnection source = await OpenSourceAsync(sqlitePath, cancellationToken);
        await using NpgsqlConnection connection = await OpenTargetAsync(target, cancellationToken);
        try
        {
            // A deferred transaction on SQLite in WAL mode reads one snapshot from its first read to its end, so a
            // server still writing to the file cannot make the counts disagree with what was copied.
            await using SqliteTransaction snapshot = source.BeginTransaction(deferred: true);
            await RequireLatestSchemaAsync(source, snapshot, sqlitePath, cancellationToken);
            await using NpgsqlTransaction transaction = await connection.BeginTransactionAsync(cancellationToken);
            var copy = new Copy(source, snapshot, connection, transaction, target.Location, progress, cancellationToken);
            DatabaseCopyReport report = await copy.RunAsync(sqlitePath, masterKey, masterKeyFile);
            if (report.Committed)
            {
                await transaction.CommitAsync(cancellationToken);
            }
            return report;
        }
        catch (SqliteException ex)
        {
            throw new DatabaseCopyException($"The source database {sqlitePath} cannot be read ({ex.Message}); nothing was copied.");
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            throw new DatabaseCopyException($"The copy into {target.Location} failed ({Reason(ex)}); nothing was copied.");
        }
    }

    private static byte[]? ReadMasterKey(string file)
    {
        try
        {
            return MasterKey.ReadFile(file);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new DatabaseCopyException($"The master key beside the source cannot be read: {ex.Message}");
        }
    }

    /// <summary>The source, read only: the copy never changes it (nor creates it when the path is wrong).</summary>
    private static async Task<SqliteConnection> OpenSourceAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new DatabaseCopyException($"The source database {path} cannot be opened: there is no such file.");
        }
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync();
            throw new DatabaseCopyException($"The source database {path} cannot be opened: {ex.Message}");
        }
    }

    /// <summary>The target, migrated to this version's schema (committed on its own: a failed copy leaves it empty).</summary>
    private static async Task<NpgsqlConnection> OpenTargetAsync(PostgresDatabase target, CancellationToken cancellationToken)
    {
        try
        {
            await target.MigrateAsync(cancellationToken);
            return (NpgsqlConnection)await target.OpenAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            throw new DatabaseCopyException($"The target database {target.Location} cannot be opened: {Reason(ex)}.");
        }
    }

    /// <summary>
    /// The copy refuses a source at another schema version rather than migrating it: it never writes to the source,
    /// and an older server may still be running on that file.
    /// </summary>
    private static async Task RequireLatestSchemaAsync(SqliteConnection source, SqliteTransaction snapshot, string path, CancellationToken cancellationToken)
    {
        int latest = Migrations.Of("Sqlite").Max(m => m.Number);
        if (Convert.ToInt64(await Sql.ScalarAsync(source, snapshot,
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'", cancellationToken), CultureInfo.InvariantCulture) == 0)
        {
            throw new DatabaseCopyException($"The source {path} is not a Voxgate database (it has no schema_migrations table).");
        }
        int version = Convert.ToInt32(await Sql.ScalarAsync(source, snapshot, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", cancellationToken), CultureInfo.InvariantCulture);
        if (version < latest)
        {
            throw new DatabaseCopyException($"The source database {path} is at schema version {version}; this voxgate copies version {latest}. "
                + $"Stop its server and migrate it first with this voxgate (any command does, e.g. voxgate audit --data {Path.GetDirectoryName(path)} --database sqlite:{path}).");
        }
        if (version > latest)
        {
            throw new DatabaseCopyException($"The source database {path} is at schema version {version}, newer than this voxgate's {latest}; copy it with the voxgate that wrote it.");
        }
    }

    /// <summary>Why PostgreSQL (or the way to it) failed, in its own words: never a connection string.</summary>
    private static string Reason(Exception ex) => ex switch
    {
        PostgresException postgres => postgres.MessageText,
        { InnerException: { } inner } => $"{ex.Message}: {inner.Message}",
        _ => ex.Message,
    };

    /// <summary>A table to copy: its name and the target's columns (in the target's order) with their PostgreSQL types.</summary>
    private sealed record CopyTable(string Name, IReadOnlyList<CopyColumn> Columns)
    {
        public string ColumnList => string.Join(", ", Columns.Select(c => Sql.Identifier(c.Name)));
    }

    /// <param name="PostgresType">The type as PostgreSQL names it (<c>information_schema.columns.data_type</c>), for messages.</param>
    private sealed record CopyColumn(string Name, NpgsqlDbType Type, string PostgresType);

    /// <summary>One account's money as one side records it.</summary>
    private sealed record AccountBooks(long AccountId, long BalanceMicros, long LedgerLines, long LedgerMicros, long UncollectedMicros);

    /// <summary>One copy under way: both connections, in their transactions.</summary>
    private sealed class Copy(SqliteConnection source, SqliteTransaction snapshot, NpgsqlConnection target, NpgsqlTransaction transaction,
        string targetLocation, IProgress<TableCopyProgress>? progress, CancellationToken cancellationToken)
    {
        public async Task<DatabaseCopyReport> RunAsync(string sourcePath, byte[]? masterKey, string masterKeyFile)
        {
            List<string> tableNames = await SourceTablesInOrderAsync();
            List<CopyTable> tables = await MatchTargetColumnsAsync(tableNames);
            // Nodes started on the target wait until the copy ends (and then find it whole), instead of racing it.
            await Sql.ExecuteAsync(target, transaction, $"LOCK TABLE {string.Join(", ", tableNames.Select(Sql.Identifier))} IN EXCLUSIVE MODE", cancellationToken);
            await RefuseUnlessEmptyAsync(tables);
            Dictionary<string, (byte[] Value, long CreatedAt)> secrets = await SourceSecretsAsync(masterKey, masterKeyFile);
            Dictionary<string, byte[]> targetSecrets = await TargetSecretsAsync();
            RefuseDifferentSecrets(secrets, targetSecrets);

            var counts = new Dictionary<string, long>();
            foreach (CopyTable table in tables)
            {
                counts[table.Name] = await CountAsync(source, snapshot, table.Name);
                await CopyRowsAsync(table, counts[table.Name]);
            }
            foreach ((string name, (byte[] value, long createdAt)) in secrets.Where(s => !targetSecrets.ContainsKey(s.Key)))
            {
                await Sql.ExecuteAsync(target, transaction, "INSERT INTO secrets (name, value, created_at) VALUES (@name, @value, @created_at)", cancellationToken,
                    ("@name", name), ("@value", value), ("@created_at", createdAt));
            }
            await MoveSequencesPastCopiedIdsAsync(tables);

            var mismatches = new List<string>();
            List<CopiedTable> copied = await CompareRowsAsync(tables, counts, secrets, mismatches);
            (int accounts, long ledgerLines, long ledgerMicros) = await CompareBooksAsync(mismatches);

            MasterKeyTransfer masterKeyTransfer = masterKey is null ? MasterKeyTransfer.NoneBesideSource
                : targetSecrets.ContainsKey(MasterKey.SecretName) ? MasterKeyTransfer.AlreadyPresent
                : MasterKeyTransfer.Copied;
            return new DatabaseCopyReport(sourcePath, targetLocation, copied, accounts, ledgerLines, ledgerMicros, masterKeyTransfer, masterKeyFile, mismatches);
        }

        /// <summary>Compares every table's rows in the target with the source's count, and the secrets with what was to be stored.</summary>
        private async Task<List<CopiedTable>> CompareRowsAsync(List<CopyTable> tables, Dictionary<string, long> sourceCounts,
            Dictionary<string, (byte[] Value, long CreatedAt)> secrets, List<string> mismatches)
        {
            var copied = new List<CopiedTable>();
            foreach (CopyTable table in tables)
            {
                long targetRows = await CountAsync(target, transaction, table.Name);
                copied.Add(new CopiedTable(table.Name, sourceCounts[table.Name], targetRows));
                if (targetRows != sourceCounts[table.Name])
                {
                    mismatches.Add($"{table.Name}: {sourceCounts[table.Name]} rows in the source, {targetRows} in the target");
                }
            }
            Dictionary<string, byte[]> stored = await TargetSecretsAsync();
            int secretsStored = secrets.Count(s => stored.TryGetValue(s.Key, out byte[]? value) && value.AsSpan().SequenceEqual(s.Value.Value));
            copied.Add(new CopiedTable(SecretsTable, secrets.Count, secretsStored));
            if (secretsStored != secrets.Count)
            {
                mismatches.Add($"{SecretsTable}: {secrets.Count - secretsStored} secret(s) differ in the target");
            }
            return copied;
        }

        /// <summary>The source's tables (but the migrations' record), parents before the tables that refer to them.</summary>
        private async Task<List<string>> SourceTablesInOrderAsync()
        {
            List<string> tables = await Sql.QueryAsync(source, snapshot,
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!' AND name <> 'schema_migrations'",
                r => r.GetString(0), cancellationToken);
            List<(string Table, string Parent)> references = await Sql.QueryAsync(source, snapshot,
                "SELECT m.name, f.\"table\" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table'",
                r => (r.GetString(0), r.GetString(1)), cancellationToken);
            var ordered = new List<string>();
            var remaining = new SortedSet<string>(tables, StringComparer.Ordinal);
            while (remaining.Count > 0)
            {
                string next = remaining.FirstOrDefault(t => !references.Any(r => r.Table == t && r.Parent != t && remaining.Contains(r.Parent)))
                    ?? throw new DatabaseCopyException("The source's tables refer to each other in a cycle; the copy cannot order them.");
                ordered.Add(next);
                remaining.Remove(next);
            }
            return ordered;
        }

        /// <summary>
        /// Each table's columns as the target has them, after checking that both sides have the same columns: a column
        /// only the source has would be lost, one only the target has means the two schemas are not the same version.
        /// </summary>
        private async Task<List<CopyTable>> MatchTargetColumnsAsync(List<string> tableNames)
        {
            ILookup<string, (string Column, string Type)> targetColumns = (await Sql.QueryAsync(target, transaction,
                    """
                    SELECT table_name, column_name, data_type FROM information_schema.columns
                    WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position
                    """,
                    r => (Table: r.GetString(0), Column: r.GetString(1), Type: r.GetString(2)), cancellationToken))
                .ToLookup(c => c.Table, c => (c.Column, c.Type));
            var tables = new List<CopyTable>();
            foreach (string name in tableNames.Where(t => t != SecretsTable))
            {
                List<string> sourceColumns = await Sql.QueryAsync(source, snapshot, "SELECT name FROM pragma_table_info(@table)", r => r.GetString(0),
                    cancellationToken, ("@table", name));
                List<(string Column, string Type)> columns = [.. targetColumns[name]];
                if (columns.Count == 0)
                {
                    throw new DatabaseCopyException($"The target database {targetLocation} has no table {name}; the source's rows would be lost. Nothing was copied.");
                }
                string[] onlySource = [.. sourceColumns.Except(columns.Select(c => c.Column))];
                string[] onlyTarget = [.. columns.Select(c => c.Column).Except(sourceColumns)];
                if (onlySource.Length > 0 || onlyTarget.Length > 0)
                {
                    throw new DatabaseCopyException($"The schemas differ at table {name} (only in the source: {string.Join(", ", onlySource.DefaultIfEmpty("-"))}; "
                        + $"only in the target: {string.Join(", ", onlyTarget.DefaultIfEmpty("-"))}). Nothing was copied.");
                }
                tables.Add(new CopyTable(name, [.. columns.Select(c => new CopyColumn(c.Column, PostgresType(name, c.Column, c.Type), c.Type))]));
            }
            return tables;
        }

        private async Task RefuseUnlessEmptyAsync(List<CopyTable> tables)
        {
            var holding = new List<string>();
            foreach (CopyTable table in tables)
            {
                long rows = await CountAsync(target, transaction, table.Name);
                if (rows > 0)
                {
                    holding.Add($"{table.Name}: {rows}");
                }
            }
            if (holding.Count > 0)
            {
                string what = holding.Any(h => h.StartsWith("accounts:", StringComparison.Ordinal)) ? "accounts" : "data";
                throw new DatabaseCopyException($"The target database {targetLocation} already holds {what} ({string.Join(", ", holding)}): "
                    + "storage copy fills a new, empty database and never merges into one in use.");
            }
        }

        /// <summary>
        /// The source's secrets, with the master key from its key file: a SQLite server keeps its key in
        /// <c>master.key</c> (the table is for databases copied from one), so the file is the key it used.
        /// </summary>
        private async Task<Dictionary<string, (byte[] Value, long CreatedAt)>> SourceSecretsAsync(byte[]? masterKey, string masterKeyFile)
        {
            Dictionary<string, (byte[] Value, long CreatedAt)> secrets = (await Sql.QueryAsync(source, snapshot,
                    "SELECT name, value, created_at FROM secrets", r => (Name: r.GetString(0), Value: (byte[])r.GetValue(1), CreatedAt: r.Long(2)), cancellationToken))
                .ToDictionary(s => s.Name, s => (s.Value, s.CreatedAt), StringComparer.Ordinal);
            if (masterKey is not null)
            {
                if (secrets.TryGetValue(MasterKey.SecretName, out var recorded) && !recorded.Value.AsSpan().SequenceEqual(masterKey))
                {
                    throw new DatabaseCopyException($"The source's secrets table holds a master key other than {masterKeyFile}; the copy cannot tell which one is in use.");
                }
                secrets[MasterKey.SecretName] = (masterKey, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            }
            return secrets;
        }

        private void RefuseDifferentSecrets(Dictionary<string, (byte[] Value, long CreatedAt)> secrets, Dictionary<string, byte[]> targetSecrets)
        {
            foreach ((string name, (byte[] value, _)) in secrets)
            {
                if (targetSecrets.TryGetValue(name, out byte[]? held) && !held.AsSpan().SequenceEqual(value))
                {
                    throw new DatabaseCopyException(name == MasterKey.SecretName
                        ? $"The target database {targetLocation} already holds a different master key (a node started on it before the copy?): links signed "
                            + "and provider keys sealed on the source would not open there. Copy into a new, empty database."
                        : $"The target database {targetLocation} already holds a different secret '{name}'. Copy into a new, empty database.");
                }
            }
        }

        /// <summary>Streams one table: a reader on the source, binary COPY into the target, a row at a time.</summary>
        private async Task CopyRowsAsync(CopyTable table, long total)
        {
            await using DbCommand select = Sql.Command(source, snapshot, $"SELECT {table.ColumnList} FROM {Sql.Identifier(table.Name)}");
            await using DbDataReader reader = await select.ExecuteReaderAsync(cancellationToken);
            await using NpgsqlBinaryImporter import = await target.BeginBinaryImportAsync(
                $"COPY {Sql.Identifier(table.Name)} ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            long rows = 0;
            while (await reader.ReadAsync(cancellationToken))
            {
                await import.StartRowAsync(cancellationToken);
                for (int i = 0; i < table.Columns.Count; i++)
                {
                    await (reader.IsDBNull(i) ? import.WriteNullAsync(cancellationToken) : WriteAsync(import, table.Name, table.Columns[i], reader.GetValue(i)));
                }
                if (++rows % ProgressEvery == 0)
                {
                    progress?.Report(new TableCopyProgress(table.Name, rows, total));
                }
            }
            await import.CompleteAsync(cancellationToken);
            if (rows % ProgressEvery != 0 || rows == 0)
            {
                progress?.Report(new TableCopyProgress(table.Name, rows, total));
            }
        }

        /// <summary>
        /// One value, converted where the types differ: SQLite's integers are 64-bit whatever the column says, so an
        /// INTEGER column of PostgreSQL takes only values that fit; SQLite has no booleans (flags are 0 and 1); TEXT
        /// and BLOB map to text and bytea. Anything else is refused rather than guessed (money is never rounded).
        /// </summary>
        private Task WriteAsync(NpgsqlBinaryImporter import, string table, CopyColumn column, object value) => (column.Type, value) switch
        {
            (NpgsqlDbType.Bigint, long number) => import.WriteAsync(number, NpgsqlDbType.Bigint, cancellationToken),
            (NpgsqlDbType.Integer, long number) when number is >= int.MinValue and <= int.MaxValue => import.WriteAsync((int)number, NpgsqlDbType.Integer, cancellationToken),
            (NpgsqlDbType.Boolean, long flag) when flag is 0 or 1 => import.WriteAsync(flag == 1, NpgsqlDbType.Boolean, cancellationToken),
            (NpgsqlDbType.Text, string text) => import.WriteAsync(text, NpgsqlDbType.Text, cancellationToken),
            (NpgsqlDbType.Bytea, byte[] bytes) => import.WriteAsync(bytes, NpgsqlDbType.Bytea, cancellationToken),
            _ => throw new DatabaseCopyException($"{table}.{column.Name} holds {Describe(value)} where PostgreSQL's column is {column.PostgresType}; nothing was copied."),
        };

        /// <summary>
        /// Identity columns (and serials) would hand out ids from 1 again: each sequence is set so that the next id
        /// follows the largest copied one.
        /// </summary>
        private async Task MoveSequencesPastCopiedIdsAsync(List<CopyTable> tables)
        {
            var copied = tables.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
            List<(string Table, string Column, string Sequence)> sequences = await Sql.QueryAsync(target, transaction,
                """
                SELECT table_name, column_name, pg_get_serial_sequence(quote_ident(table_name::text), column_name::text)
                FROM information_schema.columns
                WHERE table_schema = current_schema() AND pg_get_serial_sequence(quote_ident(table_name::text), column_name::text) IS NOT NULL
                """,
                r => (r.GetString(0), r.GetString(1), r.GetString(2)), cancellationToken);
            foreach ((string table, string column, string sequence) in sequences.Where(s => copied.Contains(s.Table)))
            {
                await Sql.ScalarAsync(target, transaction,
                    $"SELECT setval(@sequence::regclass, COALESCE(MAX({Sql.Identifier(column)}), 0) + 1, false) FROM {Sql.Identifier(table)}",
                    cancellationToken, ("@sequence", sequence));
            }
        }

        /// <summary>Compares every account's balance and ledger, and the whole ledger, between the two sides.</summary>
        private async Task<(int Accounts, long LedgerLines, long LedgerMicros)> CompareBooksAsync(List<string> mismatches)
        {
            Dictionary<long, AccountBooks> sourceBooks = (await BooksAsync(source, snapshot)).ToDictionary(b => b.AccountId);
            Dictionary<long, AccountBooks> targetBooks = (await BooksAsync(target, transaction)).ToDictionary(b => b.AccountId);
            foreach (long account in sourceBooks.Keys.Union(targetBooks.Keys).Order())
            {
                AccountBooks? before = sourceBooks.GetValueOrDefault(account), after = targetBooks.GetValueOrDefault(account);
                if (before != after)
                {
                    mismatches.Add($"account {account}: {Describe(before)} in the source, {Describe(after)} in the target");
                }
            }
            (long Lines, long Micros) sourceLedger = await LedgerTotalAsync(source, snapshot);
            (long Lines, long Micros) targetLedger = await LedgerTotalAsync(target, transaction);
            if (sourceLedger != targetLedger)
            {
                mismatches.Add($"ledger: {sourceLedger.Lines} lines summing to {sourceLedger.Micros} micro-dollars in the source, "
                    + $"{targetLedger.Lines} summing to {targetLedger.Micros} in the target");
            }
            return (sourceBooks.Count, sourceLedger.Lines, sourceLedger.Micros);
        }

        private Task<List<AccountBooks>> BooksAsync(DbConnection connection, DbTransaction side) => Sql.QueryAsync(connection, side, BooksSql,
            r => new AccountBooks(r.Long(0), r.Long(1), r.Long(2), r.Long(3), r.Long(4)), cancellationToken);

        private async Task<(long Lines, long Micros)> LedgerTotalAsync(DbConnection connection, DbTransaction side) =>
            (await Sql.QueryAsync(connection, side, LedgerTotalSql, r => (r.Long(0), r.Long(1)), cancellationToken)).Single();

        private async Task<long> CountAsync(DbConnection connection, DbTransaction side, string table) =>
            Convert.ToInt64(await Sql.ScalarAsync(connection, side, $"SELECT COUNT(*) FROM {Sql.Identifier(table)}", cancellationToken), CultureInfo.InvariantCulture);

        private async Task<Dictionary<string, byte[]>> TargetSecretsAsync() =>
            (await Sql.QueryAsync(target, transaction, "SELECT name, value FROM secrets", r => (Name: r.GetString(0), Value: (byte[])r.GetValue(1)), cancellationToken))
            .ToDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal);

        private static string Describe(AccountBooks? books) => books is null
            ? "absent"
            : $"balance {books.BalanceMicros}, {books.LedgerLines} ledger lines summing to {books.LedgerMicros} (uncollected {books.UncollectedMicros})";

        /// <summary>What kind of value a column held, never the value itself (it may be a key's hash or a sealed key).</summary>
        private static string Describe(object value) => value switch
        {
            long number when number is > int.MaxValue or < int.MinValue => "an integer too large for it",
            long => "an integer",
            double => "a real number",
            string => "text",
            byte[] => "a blob",
            _ => value.GetType().Name,
        };

        private static NpgsqlDbType PostgresType(string table, string column, string dataType) => dataType switch
        {
            "bigint" => NpgsqlDbType.Bigint,
            "integer" => NpgsqlDbType.Integer,
            "boolean" => NpgsqlDbType.Boolean,
            "text" => NpgsqlDbType.Text,
            "bytea" => NpgsqlDbType.Bytea,
            _ => throw new DatabaseCopyException($"The target's column {table}.{column} is {dataType}, a type the copy does not convert to. Nothing was copied."),
        };
    }
}

/// <summary>How many rows of a table are copied so far, of how many.</summary>
public readonly record struct TableCopyProgress(string Table, long Rows, long Total);

/// <summary>One table of a copy: its rows in the source and in the target (equal, unless the copy was rolled back).</summary>
public sealed record CopiedTable(string Name, long SourceRows, long TargetRows);

/// <summary>What became of the source's master key.</summary>
public enum MasterKeyTransfer
{
    /// <summary>The key file beside the source is now the target's <c>master_key</c> secret.</summary>
    Copied,

    /// <summary>The target already held the same key.</summary>
    AlreadyPresent,

    /// <summary>There is no <c>master.key</c> beside the source: its server used <c>VOXGATE_MASTER_KEY</c> (or never started).</summary>
    NoneBesideSource,
}

/// <summary>
/// What a copy did: rows per table on each side, the books it compared, the master key. When
/// <see cref="Mismatches"/> is not empty the copy was rolled back and the target holds nothing of the source.
/// </summary>
public sealed record DatabaseCopyReport(
    string Source,
    string Target,
    IReadOnlyList<CopiedTable> Tables,
    int Accounts,
    long LedgerLines,
    long LedgerMicros,
    MasterKeyTransfer KeyTransfer,
    string MasterKeyFile,
    IReadOnlyList<string> Mismatches)
{
    public bool Committed => Mismatches.Count == 0;

    /// <summary>The source's rows of <paramref name="table"/> (0 for a table the copy does not know).</summary>
    public long SourceRows(string table) => Tables.FirstOrDefault(t => t.Name == table)?.SourceRows ?? 0;
}

/// <summary>A copy refused or failed before anything was committed; the message says why, in one line, without secrets.</summary>
public sealed class DatabaseCopyException(string message) : Exception(message);
