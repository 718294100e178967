using System.Text.Json;
using Microsoft.Extensions.Options;
using Voxgate.Health;
using Voxgate.WebConsole.Admin;

namespace Voxgate.WebConsole.Pages.Admin;

/// <summary>What <c>/readyz</c> reports (<see cref="HealthEndpoints.ReadinessAsync"/>), as a page: every field it answers, nothing else.</summary>
public sealed class HealthModel(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : AdminPageModel
{
    public bool Ready { get; private set; }

    /// <summary>The readiness document, as <c>/readyz</c> writes it.</summary>
    public JsonElement Report { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        (bool ready, object report) = await HealthEndpoints.ReadinessAsync(HttpContext.RequestServices, cancellationToken);
        Ready = ready;
        Report = JsonSerializer.SerializeToElement(report, json.Value.SerializerOptions);
    }

    /// <summary>A field's name as a heading: "unserved_models" reads "Unserved models".</summary>
    public static string Label(string name) => name.Length == 0 ? name : char.ToUpperInvariant(name[0]) + name[1..].Replace('_', ' ');

    public static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.String => value.GetString()!,
        _ => value.GetRawText(),
    };
}
