using Microsoft.AspNetCore.Mvc.Filters;

namespace Voxgate.WebConsole;

/// <summary>
/// The web console: server-rendered Razor Pages under <c>Console/Pages</c>, their two static files, and
/// <c>/llms.txt</c>. The namespace is <c>Voxgate.WebConsole</c>, not the folder's name, because a
/// <c>Voxgate.Console</c> namespace would hide <see cref="System.Console"/> from the CLI's code.
/// </summary>
public static class ConsoleRegistration
{
    public static IServiceCollection AddVoxgateConsole(this IServiceCollection services)
    {
        services.AddRazorPages(pages => pages.RootDirectory = "/Console/Pages")
            .AddMvcOptions(mvc => mvc.Filters.Add(new ConsoleHeadersPageFilter()));
        services.AddSingleton<ModelSheets>();
        services.AddSingleton<LiveFigures>();
        services.AddSingleton<Admin.ModelPulls>();
        services.AddConsoleSessions();
        return services;
    }

    /// <summary>
    /// Maps the pages (<c>/</c>, <c>/models</c>, <c>/models/{id}</c>, <c>/compare</c>, <c>/rankings</c>,
    /// <c>/api</c>), the assets under <c>/console/</c> and <c>/llms.txt</c>; none of them is an API path.
    /// </summary>
    public static WebApplication MapVoxgateConsole(this WebApplication app)
    {
        app.MapRazorPages();
        ConsoleAssets.Map(app);
        PlaygroundEndpoint.Map(app);
        app.MapGet("/llms.txt", LlmsText.WriteAsync).ExcludeFromDescription();
        return app;
    }
}

/// <summary>Sets <see cref="ConsoleHeaders"/> on every console page's response before the page renders.</summary>
internal sealed class ConsoleHeadersPageFilter : IPageFilter
{
    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context) => ConsoleHeaders.Apply(context.HttpContext.Response);

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
