using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Encoders;
using Voxgate.Speech.Engines;
using Voxgate.Speech.Engines.Sherpa;
using Voxgate.Speech.Models;
using Voxgate.Speech.Settings;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;
using Voxgate.Speech.Upstreams;

namespace Voxgate.Speech;

public static class SpeechServiceCollectionExtensions
{
    /// <summary>Registers the speech pipeline (catalog, engines, neural models, text preparation, audio chain, encoders) as singletons.</summary>
    public static IServiceCollection AddVoxgateSpeech(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<EngineOptions>(configuration, EngineOptions.Section);
        services.AddValidatedOptions<CatalogOptions>(configuration, CatalogOptions.Section);
        services.AddValidatedOptions<AudioOptions>(configuration, AudioOptions.Section);
        services.AddValidatedOptions<EncoderOptions>(configuration, EncoderOptions.Section);
        services.AddValidatedOptions<TextOptions>(configuration, TextOptions.Section);
        services.AddValidatedOptions<UpstreamOptions>(configuration, UpstreamOptions.Section);
        services.AddValidatedOptions<ModelOptions>(configuration, ModelOptions.Section);
        services.AddValidatedOptions<StreamingOptions>(configuration, StreamingOptions.Section);

        services.AddMetrics();
        services.AddSingleton<ISpeechEngineProvider, FliteEngineProvider>();
        services.AddSingleton<ISpeechEngineProvider, EspeakEngineProvider>();
        services.AddSingleton<SpeechEngineRegistry>();
        services.AddSingleton<ModelCatalog>();
        services.AddSingleton<TextPreparer>();
        services.AddSingleton<AudioEncoderFactory>();
        services.AddSingleton<SpeechMetrics>();
        services.AddSingleton<SpeechPlanner>();
        services.AddSingleton<ClausePauses>();
        services.AddSingleton<SpeechPipeline>();
        services.AddHttpClient(UpstreamSpeechClient.HttpClientName);
        services.AddSingleton<UpstreamSpeechClient>();
        // Upstream provider kinds by name, as engines are: a new kind of server is one more strategy here.
        services.AddSingleton<IUpstreamSpeechProvider, OpenAiSpeechProvider>();
        services.AddSingleton<IUpstreamSpeechProvider, MiniMaxSpeechProvider>();
        services.AddSingleton<UpstreamProviders>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RouteHealth>();
        // Neural models: the host registers the IModelVerifier (a child process) that SherpaModels needs.
        services.AddSingleton<ModelStore>();
        services.AddHttpClient(ModelInstaller.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.AddSingleton<ModelInstaller>();
        services.AddSingleton<SherpaModels>();
        return services;
    }
}
