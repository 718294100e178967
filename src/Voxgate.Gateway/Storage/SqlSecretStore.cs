namespace Voxgate.Gateway.Storage;

/// <summary>Secrets every node must share when the operator configured none, kept in the database they share.</summary>
public interface ISecretStore
{
    /// <summary>The secret named <paramref name="name"/>: the stored one, or <paramref name="create"/>'s, stored by whichever node came first.</summary>
    Task<byte[]> GetOrCreateAsync(string name, Func<byte[]> create, CancellationToken cancellationToken = default);

    /// <summary>Stores a secret under a name that has none yet (a copy between databases); false when one exists.</summary>
    Task<bool> TryAddAsync(string name, byte[] value, CancellationToken cancellationToken = default);
}

public sealed class SqlSecretStore(IDatabase database) : ISecretStore
{
    public async Task<byte[]> GetOrCreateAsync(string name, Func<byte[]> create, CancellationToken cancellationToken = default)
    {
        // Two nodes starting at once both try; the primary key keeps the first, and both read it back.
        await TryAddAsync(name, create(), cancellationToken);
        return (await Sql.QueryAsync(database, "SELECT value FROM secrets WHERE name = @name", r => (byte[])r.GetValue(0), cancellationToken,
            ("@name", name))).Single();
    }

    public Task<bool> TryAddAsync(string name, byte[] value, CancellationToken cancellationToken = default) =>
        database.WriteAsync(async (connection, transaction) => await Sql.ExecuteAsync(connection, transaction,
            "INSERT INTO secrets (name, value, created_at) VALUES (@name, @value, @now) ON CONFLICT (name) DO NOTHING", cancellationToken,
            ("@name", name), ("@value", value), ("@now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())) == 1, cancellationToken);
}
