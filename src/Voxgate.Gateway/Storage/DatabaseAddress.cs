using Npgsql;

namespace Voxgate.Gateway.Storage;

/// <summary>
/// Which database a process uses (<c>--database</c>, <c>VOXGATE_DATABASE</c>, configuration <c>Voxgate:Storage:Database</c>):
/// absent or <c>sqlite:PATH</c> for the embedded SQLite file (default <c>&lt;data&gt;/voxgate.db</c>);
/// <c>postgres://user:password@host:port/database</c> (<c>?host=/run/postgresql</c> for a Unix socket) or
/// <c>postgres:</c> followed by an Npgsql connection string for PostgreSQL.
/// </summary>
public sealed record DatabaseAddress(string Provider, string Target)
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <exception cref="ArgumentException">The value names no database this server can use.</exception>
    public static DatabaseAddress Parse(string? value, string dataDirectory)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return new DatabaseAddress(Sqlite, Path.Combine(dataDirectory, "voxgate.db"));
        }
        value = value.Trim();
        if (value.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase))
        {
            string path = value["sqlite:".Length..];
            return path.Length > 0 ? new DatabaseAddress(Sqlite, Path.GetFullPath(path)) : throw Unusable(value, "sqlite: needs a file path");
        }
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new DatabaseAddress(Postgres, FromUrl(value));
        }
        if (value.StartsWith("postgres:", StringComparison.OrdinalIgnoreCase))
        {
            string connectionString = value["postgres:".Length..];
            try
            {
                _ = new NpgsqlConnectionStringBuilder(connectionString);
            }
            catch (ArgumentException ex)
            {
                throw Unusable("postgres:...", ex.Message);
            }
            return new DatabaseAddress(Postgres, connectionString);
        }
        // Only a scheme is echoed back: the rest of a mistyped address may hold a user name or a password.
        string scheme = value.Split(':', 2)[0];
        throw Unusable(value.Contains(':') && scheme.Length is > 0 and <= 16 && scheme.All(char.IsAsciiLetterOrDigit) ? scheme + ":..." : "the value", "use sqlite:PATH, postgres://user:password@host:port/database or postgres:<Npgsql connection string>");
    }

    /// <summary>Where it is, without a password: for logs, /readyz and error messages.</summary>
    public string Describe() => Provider == Sqlite ? Target : PostgresDatabase.Describe(new NpgsqlConnectionStringBuilder(Target));

    private static string FromUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri))
        {
            throw Unusable("postgres://...", "it is not a URL");
        }
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host.Length > 0 ? Uri.UnescapeDataString(uri.Host) : "localhost",
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')) is { Length: > 0 } database ? database : "voxgate",
        };
        string[] user = uri.UserInfo.Split(':', 2);
        if (user[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(user[0]);
        }
        if (user.Length == 2)
        {
            builder.Password = Uri.UnescapeDataString(user[1]);
        }
        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split('=', 2);
            if (parts.Length == 2 && parts[0].Equals("host", StringComparison.OrdinalIgnoreCase))
            {
                builder.Host = Uri.UnescapeDataString(parts[1]); // libpq's way of naming a Unix socket directory
            }
        }
        return builder.ConnectionString;
    }

    private static ArgumentException Unusable(string value, string why) => new($"The database '{value}' cannot be used: {why}.");
}
