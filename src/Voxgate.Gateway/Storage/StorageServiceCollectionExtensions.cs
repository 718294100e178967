using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Files;
using Voxgate.Gateway.ProviderKeys;
using Voxgate.Gateway.Sessions;
using Voxgate.Gateway.Tasks;
using Voxgate.Gateway.Usage;
using Voxgate.Gateway.Voices;

namespace Voxgate.Gateway.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The database named by <c>Voxgate:Storage:Database</c> (SQLite in the data directory when it names none).</summary>
    /// <exception cref="ArgumentException">The setting names no usable database.</exception>
    public static IServiceCollection AddVoxgateStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new StorageOptions();
        configuration.GetSection(StorageOptions.Section).Bind(options);
        DatabaseAddress address = options.Address;
        return address.Provider == DatabaseAddress.Postgres ? services.AddPostgresStorage(address.Target) : services.AddSqliteStorage(address.Target);
    }

    /// <summary>Every store on one SQLite file: the embedded default, one server per file.</summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, string path) =>
        services.AddStores(provider => new SqliteDatabase(path, provider.GetRequiredService<ILogger<SqliteDatabase>>()));

    /// <summary>Every store on PostgreSQL: several nodes on one database.</summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, string connectionString) =>
        services.AddStores(provider => new PostgresDatabase(connectionString, provider.GetRequiredService<ILogger<PostgresDatabase>>()));

    private static IServiceCollection AddStores(this IServiceCollection services, Func<IServiceProvider, IDatabase> database)
    {
        services.AddSingleton(database);
        services.AddSingleton<IAccountStore, SqlAccountStore>();
        services.AddSingleton<IBillingStore, SqlBillingStore>();
        services.AddSingleton<IUsageStore, SqlUsageStore>();
        services.AddSingleton<IProviderKeyStore, SqlProviderKeyStore>();
        services.AddSingleton<IFileStore, SqlFileStore>();
        services.AddSingleton<ITaskStore, SqlTaskStore>();
        services.AddSingleton<IMoneyAuditor, SqlMoneyAuditor>();
        services.AddSingleton<ISecretStore, SqlSecretStore>();
        services.AddSingleton<IVoiceStore, SqlVoiceStore>();
        services.AddSingleton<ISessionStore, SqlSessionStore>();
        services.AddSingleton<SqlKeyRingRepository>();
        return services;
    }
}
