using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.ProviderKeys;
using Voxgate.Gateway.RateLimits;
using Voxgate.Gateway.Saturation;
using Voxgate.Gateway.Storage;
using Voxgate.Gateway.Usage;

namespace Voxgate.Gateway;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Registers the gateway on SQLite: accounts and keys, billing, usage, provider keys, rate limits, admission and
    /// <see cref="SpeechGateway"/>. Needs <c>AddVoxgateSpeech</c>.
    /// </summary>
    public static IServiceCollection AddVoxgateGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section));
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section));
        services.AddOptions<BillingOptions>().Bind(configuration.GetSection(BillingOptions.Section));
        services.AddOptions<SaturationOptions>().Bind(configuration.GetSection(SaturationOptions.Section));
        services.AddOptions<ProviderKeyOptions>().Bind(configuration.GetSection(ProviderKeyOptions.Section));

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<IAccountStore, SqliteAccountStore>();
        services.AddSingleton<IBillingStore, SqliteBillingStore>();
        services.AddSingleton<IUsageStore, SqliteUsageStore>();
        services.AddSingleton<IProviderKeyStore, SqliteProviderKeyStore>();

        services.AddSingleton<AccountService>();
        services.AddSingleton<WalletService>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<ProviderKeyProtector>();
        services.AddSingleton<ProviderKeyService>();
        services.AddSingleton<KeyRateLimiter>();
        services.AddSingleton<EngineAdmission>();
        services.AddSingleton<UpstreamRouter>();
        services.AddSingleton<SpeechGateway>();
        return services;
    }
}
