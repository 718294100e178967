using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Files;
using Voxgate.Gateway.Metrics;
using Voxgate.Gateway.Tasks;
using Voxgate.Gateway.ProviderKeys;
using Voxgate.Gateway.RateLimits;
using Voxgate.Gateway.Saturation;
using Voxgate.Gateway.Security;
using Voxgate.Gateway.Sessions;
using Voxgate.Gateway.Storage;
using Voxgate.Gateway.Usage;
using Voxgate.Gateway.Voices;

namespace Voxgate.Gateway;

public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Registers the gateway: accounts and keys, billing, usage, provider keys, rate limits, admission, files, tasks and
    /// <see cref="SpeechGateway"/>. Needs <c>AddVoxgateSpeech</c> and a storage provider
    /// (<see cref="StorageServiceCollectionExtensions.AddVoxgateStorage"/>, or <c>AddSqliteStorage</c>/<c>AddPostgresStorage</c>).
    /// </summary>
    public static IServiceCollection AddVoxgateGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section));
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section));
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section));
        services.AddOptions<BillingOptions>().Bind(configuration.GetSection(BillingOptions.Section));
        services.AddOptions<SaturationOptions>().Bind(configuration.GetSection(SaturationOptions.Section));
        services.AddOptions<ProviderKeyOptions>().Bind(configuration.GetSection(ProviderKeyOptions.Section));
        services.AddOptions<FileStoreOptions>().Bind(configuration.GetSection(FileStoreOptions.Section));
        services.AddOptions<TaskOptions>().Bind(configuration.GetSection(TaskOptions.Section));
        services.AddOptions<VoiceOptions>().Bind(configuration.GetSection(VoiceOptions.Section));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(NodeIdentity.From(configuration[NodeIdentity.Setting]));

        services.AddSingleton<AccountService>();
        services.AddSingleton<WalletService>();
        services.AddSingleton<ApiKeyAuthenticator>();
        services.AddSingleton<MasterKey>();
        services.AddSingleton<ProviderKeyProtector>();
        services.AddSingleton<ProviderKeyService>();
        services.AddVoxgateRateLimits(configuration);
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<StoreGauges>();
        services.AddSingleton<RefusalCounter>();
        services.AddSingleton<UsageReports>();
        services.AddHostedService<RefusalFlusher>();
        services.AddSingleton<EngineAdmission>();
        services.AddSingleton<UpstreamRouter>();
        services.AddSingleton<SpeechGateway>();
        services.AddSingleton<UrlSigner>();
        services.AddSingleton<FileService>();
        services.AddSingleton<TaskSignal>();
        services.AddSingleton<TaskService>();
        services.AddSingleton<VoiceService>();
        services.AddSingleton<VoicePreview>();
        services.AddSingleton<MiniMaxVoiceRelay>();
        services.AddSingleton<UpstreamVoices>();
        services.AddSingleton<SessionService>();
        return services;
    }

    /// <summary>
    /// Runs asynchronous tasks and sweeps expired files in this process (the server; not the CLI). The surface that
    /// owns tasks supplies how results are packaged.
    /// </summary>
    public static IServiceCollection AddVoxgateTaskWorkers<TPackager>(this IServiceCollection services)
        where TPackager : class, ITaskResultPackager
    {
        services.AddSingleton<ITaskResultPackager, TPackager>();
        services.AddSingleton<TaskRunner>();
        services.AddHostedService<TaskWorkers>();
        services.AddHostedService<VoiceSweeper>();
        return services;
    }
}
