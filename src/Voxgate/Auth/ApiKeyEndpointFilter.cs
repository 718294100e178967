using Voxgate.Gateway.Accounts;
using Voxgate.Gateway.Usage;

namespace Voxgate.Auth;

/// <summary>Why a request was not let in: no valid key (401) or a key without the scope (403).</summary>
public sealed record AccessDenial(int Status, string Message, AuthenticationFailure? Failure);

/// <summary>
/// Authenticates every request of an endpoint group with its API key and checks the scope the group needs; the
/// caller is then available as <see cref="CallerOf"/>. Each surface supplies how a denial is written in its format.
/// </summary>
public static class ApiKeyEndpointFilter
{
    public static TBuilder RequireApiKey<TBuilder>(this TBuilder builder, KeyScopes scope, Func<AccessDenial, IResult> deny)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            HttpContext http = context.HttpContext;
            ApiKeyAuthenticator authenticator = http.RequestServices.GetRequiredService<ApiKeyAuthenticator>();
            (Caller? caller, AuthenticationFailure failure) = await authenticator.AuthenticateForAsync(http.Request.Headers.Authorization.ToString(), scope, http.RequestAborted);
            if (caller is null)
            {
                http.RequestServices.GetRequiredService<RefusalCounter>().Count(null, null, UsageStatus.Unauthorized);
                return deny(new AccessDenial(StatusCodes.Status401Unauthorized, ApiKeyAuthenticator.Describe(failure), failure));
            }
            if (!caller.Can(scope))
            {
                http.RequestServices.GetRequiredService<RefusalCounter>().Count(caller, null, UsageStatus.Unauthorized);
                return deny(new AccessDenial(StatusCodes.Status403Forbidden,
                    $"This API key lacks the '{KeyScopeNames.Format(scope)}' scope needed here.", null));
            }
            http.Features.Set(caller);
            return await next(context);
        });

    /// <summary>The authenticated caller of a request that passed <see cref="RequireApiKey{TBuilder}"/>.</summary>
    public static Caller CallerOf(HttpContext http) =>
        http.Features.Get<Caller>() ?? throw new InvalidOperationException("The endpoint is not behind RequireApiKey.");
}
