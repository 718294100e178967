using Voxgate.Auth;
using Voxgate.Gateway.Accounts;
using Voxgate.OpenAi;
using Voxgate.Speech.Engines.Sherpa;

namespace Voxgate.Models;

/// <summary>The neural models as the server sees them (admin scope): their state, and a reload on demand.</summary>
public static class ModelEndpoints
{
    public static IEndpointRouteBuilder MapModelAdminApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder admin = app.MapGroup("/admin/models").WithTags("Admin")
            .RequireApiKey(KeyScopes.Admin, denial => OpenAiError.From(denial).ToResult());
        admin.MapGet("", (SherpaModels models) => Results.Json(Document(models.Status)))
            .WithSummary("The installed neural models: loaded, verifying, broken or failed, with the memory each took.");
        admin.MapPost("/reload", async (SherpaModels models, CancellationToken cancellationToken) =>
                Results.Json(Document(await models.ReloadAsync(cancellationToken))))
            .WithSummary("Verifies new or changed models, loads them, unloads removed ones; answers with their state.");
        return app;
    }

    public static object Document(IReadOnlyList<ModelStatus> status) => new
    {
        @object = "list",
        data = status.Select(s => new
        {
            id = s.Id, engine = s.Engine, status = s.Status, problem = s.Problem, memory_bytes = s.MemoryBytes, active_generations = s.ActiveGenerations,
        }),
    };
}
