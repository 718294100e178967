using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Voxgate.Speech.Settings;

namespace Voxgate.Gateway.RateLimits;

public static class RateLimitServiceCollectionExtensions
{
    /// <summary>
    /// Registers the per-key and per-account limits: shared through Redis when <c>Voxgate:Redis:Configuration</c> is
    /// set (with this node's own as the fallback while Redis is away), this node's own otherwise.
    /// </summary>
    public static IServiceCollection AddVoxgateRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<RedisOptions>(configuration, RedisOptions.Section);
        services.AddSingleton<LocalRateLimiter>();
        services.AddSingleton<LocalConcurrencyLimiter>();
        if (new RedisOptions { Configuration = configuration[$"{RedisOptions.Section}:Configuration"] }.Enabled)
        {
            services.AddSingleton<RedisConnection>();
            services.AddSingleton<IRateLimiter, RedisRateLimiter>();
            services.AddSingleton<RedisConcurrencyLimiter>();
            services.AddSingleton<IConcurrencyLimiter>(provider => provider.GetRequiredService<RedisConcurrencyLimiter>());
        }
        else
        {
            services.AddSingleton<IRateLimiter>(provider => provider.GetRequiredService<LocalRateLimiter>());
            services.AddSingleton<IConcurrencyLimiter>(provider => provider.GetRequiredService<LocalConcurrencyLimiter>());
        }
        return services;
    }
}
