using Voxgate.Gateway;
using Voxgate.Gateway.RateLimits;
using Voxgate.Gateway.Saturation;
using Voxgate.Gateway.Storage;
using Voxgate.Hosting;
using Voxgate.Speech.Catalog;
using Voxgate.Speech.Engines;

namespace Voxgate.Health;

/// <summary>Liveness (<c>/healthz</c>: the process answers) and readiness (<c>/readyz</c>: it can synthesise).</summary>
public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => Results.Json(new { status = "ok" }))
            .WithTags("Health").WithSummary("Liveness: 200 while the process serves requests.");
        app.MapGet("/readyz", Ready)
            .WithTags("Health").WithSummary("Readiness: 200 when at least one engine and every catalog model's engine are loaded.");
        return app;
    }

    private static async Task<IResult> Ready(IServiceProvider services, CancellationToken cancellationToken)
    {
        (bool ready, object body) = await ReadinessAsync(services, cancellationToken);
        return Results.Json(body, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    /// <summary>What <c>/readyz</c> answers: whether the server is ready, and the report (the console's health page shows the same).</summary>
    public static async Task<(bool Ready, object Report)> ReadinessAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        SpeechEngineRegistry engines = services.GetRequiredService<SpeechEngineRegistry>();
        ModelCatalog catalog = services.GetRequiredService<ModelCatalog>();
        Speech.Engines.Sherpa.SherpaModels models = services.GetRequiredService<Speech.Engines.Sherpa.SherpaModels>();
        EngineAdmission admission = services.GetRequiredService<EngineAdmission>();
        IDatabase database = services.GetRequiredService<IDatabase>();
        DatabaseHealth health = services.GetRequiredService<DatabaseHealth>();
        NodeIdentity node = services.GetRequiredService<NodeIdentity>();
        RedisConnection? redis = services.GetService<RedisConnection>();
        string? redisProblem = redis is null ? null : await redis.ProbeAsync();
        var loaded = engines.Engines.Select(e => e.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        string[] unservedModels = [.. catalog.Models.Where(m => !loaded.Contains(m.Serving(loaded.Contains).Engine)).Select(m => m.Id)];
        string? databaseProblem = await ProbeAsync(database, health, cancellationToken);
        // Without Redis a node still serves under its own limits, unless the deployment chose to fail closed.
        bool ready = engines.Engines.Count > 0 && databaseProblem is null
            && (redisProblem is null || redis!.Options.WhenUnreachable == RedisFailureMode.Open);
        var body = new
        {
            status = ready ? (unservedModels.Length == 0 ? "ready" : "degraded") : "not_ready",
            node = node.Name,
            database = new { provider = database.Provider, location = database.Location, reachable = databaseProblem is null, problem = databaseProblem },
            limits = redis is null
                ? (object)new { scope = "node" }
                : new
                {
                    scope = redisProblem is null ? "cluster" : "node",
                    redis = redis.Location,
                    reachable = redisProblem is null,
                    problem = redisProblem,
                    when_unreachable = redis.Options.WhenUnreachable.ToString().ToLowerInvariant(),
                },
            engines = engines.Engines.Select(e => new { name = e.Name, version = e.Version, voices = e.Voices.Count }),
            failures = engines.Failures.Select(f => new { engine = f.Engine, reason = f.Reason }),
            unserved_models = unservedModels,
            neural_models = models.Status.Select(m => new { id = m.Id, engine = m.Engine, status = m.Status, problem = m.Problem, memory_bytes = m.MemoryBytes }),
            // Engine turns in use and requests waiting, per engine or provider that has been used.
            capacity = admission.Load.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => new
            {
                name = l.Key, limit = l.Value.Limit, active = l.Value.Active, continuing = l.Value.Continuing, waiting = l.Value.New,
            }),
        };
        return (ready, body);
    }

    /// <summary>Asks the database for one trivial answer (within two seconds); null when it gave it, else why not.</summary>
    private static async Task<string?> ProbeAsync(IDatabase database, DatabaseHealth health, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await using System.Data.Common.DbConnection connection = await database.OpenAsync(deadline.Token);
            await using System.Data.Common.DbCommand probe = connection.CreateCommand();
            probe.CommandText = "SELECT 1";
            await probe.ExecuteScalarAsync(deadline.Token);
            health.Succeeded();
            return null;
        }
        catch (Exception ex) when (DatabaseHealth.IsUnreachable(ex) || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            health.Failed(ex);
            return health.Problem;
        }
    }
}
