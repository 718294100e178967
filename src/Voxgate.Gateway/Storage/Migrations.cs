using System.Data.Common;
using System.Globalization;
using System.Reflection;

namespace Voxgate.Gateway.Storage;

/// <summary>
/// The numbered schema scripts of a provider (<c>Storage/Migrations/&lt;Provider&gt;/NNN_name.sql</c>), applied in order
/// inside the caller's transaction and recorded in <c>schema_migrations</c>, so each runs once.
/// </summary>
internal static class Migrations
{
    /// <summary>The embedded scripts of one provider folder (<c>Sqlite</c>, <c>Postgres</c>), in order.</summary>
    public static IEnumerable<(int Number, string Name, string Sql)> Of(string provider)
    {
        Assembly assembly = typeof(Migrations).Assembly;
        string prefix = $"Voxgate.Gateway.Storage.Migrations.{provider}.";
        foreach (string resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            string file = resource[prefix.Length..^".sql".Length];
            int number = int.Parse(file[..file.IndexOf('_')], CultureInfo.InvariantCulture);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            yield return (number, file, reader.ReadToEnd());
        }
    }

    /// <summary>Applies the scripts not yet recorded; returns the schema version and the scripts applied now.</summary>
    public static async Task<(int Version, List<string> Applied)> ApplyAsync(DbConnection connection, DbTransaction transaction, string provider,
        CancellationToken cancellationToken)
    {
        await Sql.ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)", cancellationToken);
        var recorded = (await Sql.QueryAsync(connection, transaction, "SELECT version FROM schema_migrations", r => r.Int(0), cancellationToken)).ToHashSet();
        int version = recorded.Count == 0 ? 0 : recorded.Max();
        var applied = new List<string>();
        foreach ((int number, string name, string sql) in Of(provider))
        {
            if (recorded.Contains(number))
            {
                continue;
            }
            await Sql.ExecuteAsync(connection, transaction, sql, cancellationToken);
            await Sql.ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @now)",
                cancellationToken, ("@version", number), ("@name", name), ("@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
            applied.Add(name);
            version = number;
        }
        return (version, applied);
    }
}
