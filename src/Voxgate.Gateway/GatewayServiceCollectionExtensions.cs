using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Billing;
using Voxgate.Gateway.Files;
using Voxgate.Gateway.Metrics;
using Voxgate.Gateway.ProviderKeys;
using Voxgate.Gateway.RateLimits;
using Voxgate.Gateway.Saturation;
using Voxgate.Gateway.Security;
using Voxgate.Gateway.Sessions;
using Voxgate.Gateway.Storage;
using Voxgate.Gateway.Tasks;
using Voxgate.Gateway.Usage;
using Voxgate.Gateway.Voices;
using Voxgate.Speech.Settings;

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
        services.AddValidatedOptions<StorageOptions>(configuration, StorageOptions.Section);
        services.AddValidatedOptions<AuthOptions>(configuration, AuthOptions.Section);
        services.AddValidatedOptions<RateLimitOptions>(configuration, RateLimitOptions.Section);
        services.AddValidatedOptions<BillingOptions>(configuration, BillingOptions.Section);
        services.AddValidatedOptions<SaturationOptions>(configuration, SaturationOptions.Section);
        services.AddValidatedOptions<ProviderKeyOptions>(configuration, ProviderKeyOptions.Section);
        services.AddValidatedOptions<FileStoreOptions>(configuration, FileStoreOptions.Section);
        services.AddValidatedOptions<TaskOptions>(configuration, TaskOptions.Section);
        services.AddValidatedOptions<VoiceOptions>(configuration, VoiceOptions.Section);

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
