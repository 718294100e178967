using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Voxgate.WebConsole.Pages;

/// <summary>
/// <c>/openapi.json</c> as a page: the same document object the endpoint serves (<see cref="IOpenApiDocumentProvider"/>,
/// document <c>v1</c>), walked on the server into operations and schemas.
/// </summary>
public sealed class ApiReferenceModel([FromKeyedServices("v1")] IOpenApiDocumentProvider documents) : PageModel
{
    public sealed record Parameter(string Name, string In, string Type, bool Required, string? Description);

    public sealed record MediaContent(string ContentType, TypeName? Schema);

    public sealed record ResponseDoc(string Status, string? Description, IReadOnlyList<MediaContent> Content);

    public sealed record Operation(string Tag, string Method, string Path, string? Summary, string? Description,
        IReadOnlyList<Parameter> Parameters, IReadOnlyList<MediaContent> RequestBody, IReadOnlyList<ResponseDoc> Responses)
    {
        public string Anchor => (Method + Path).ToLowerInvariant().Replace('/', '-').Replace('{', '_').Replace('}', '_');
    }

    public sealed record Field(string Name, TypeName Type, bool Required, string? Description);

    public sealed record Schema(string Name, string? Description, IReadOnlyList<Field> Fields);

    /// <summary>A type as shown: a link to a component schema (<see cref="Reference"/>), or a JSON type's name.</summary>
    public sealed record TypeName(string Text, string? Reference);

    public OpenApiDocument Document { get; private set; } = new();

    public IReadOnlyList<Operation> Operations { get; private set; } = [];

    public IReadOnlyList<Schema> Schemas { get; private set; } = [];

    public string BaseUrl => ApiExamples.BaseUrl(Request);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Document = await documents.GetOpenApiDocumentAsync(cancellationToken);
        Document.Info ??= new OpenApiInfo();
        var operations = new List<Operation>();
        foreach ((string path, IOpenApiPathItem item) in Document.Paths ?? [])
        {
            foreach ((HttpMethod method, OpenApiOperation operation) in item.Operations ?? [])
            {
                operations.Add(new Operation(
                    operation.Tags?.FirstOrDefault()?.Name ?? "Other",
                    method.Method,
                    path,
                    operation.Summary,
                    operation.Description,
                    [.. (operation.Parameters ?? []).Select(p => new Parameter(p.Name ?? "", p.In?.ToString().ToLowerInvariant() ?? "", Describe(p.Schema).Text, p.Required, p.Description))],
                    [.. (operation.RequestBody?.Content ?? new Dictionary<string, OpenApiMediaType>()).Select(c => new MediaContent(c.Key, c.Value.Schema is null ? null : Describe(c.Value.Schema)))],
                    [.. (operation.Responses ?? []).Select(r => new ResponseDoc(r.Key, r.Value.Description,
                        [.. (r.Value.Content ?? new Dictionary<string, OpenApiMediaType>()).Select(c => new MediaContent(c.Key, c.Value.Schema is null ? null : Describe(c.Value.Schema)))]))]));
            }
        }
        Operations = operations;
        Schemas = [.. (Document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>()).OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new Schema(
            s.Key, s.Value.Description,
            [.. (s.Value.Properties ?? new Dictionary<string, IOpenApiSchema>()).Select(p => new Field(p.Key, Describe(p.Value), s.Value.Required?.Contains(p.Key) == true, p.Value.Description))]))];
    }

    private static TypeName Describe(IOpenApiSchema? schema)
    {
        if (schema is OpenApiSchemaReference reference && reference.Reference?.Id is { } id)
        {
            return new TypeName(id, id);
        }
        if (schema is null)
        {
            return new TypeName("any", null);
        }
        if (schema.Type is { } type && type.HasFlag(JsonSchemaType.Array))
        {
            TypeName items = Describe(schema.Items);
            return items with { Text = items.Text + "[]" };
        }
        string text = schema.Type is { } t
            ? string.Join(" | ", Enum.GetValues<JsonSchemaType>().Where(v => t.HasFlag(v)).Select(v => v.ToString().ToLowerInvariant()))
            : "any";
        return new TypeName(schema.Format is { Length: > 0 } format ? $"{text} ({format})" : text, null);
    }

    public static IHtmlContent SchemaLink(TypeName? type) => type switch
    {
        null => HtmlString.Empty,
        { Reference: { } id } => new HtmlContentBuilder().AppendHtml("<a href=\"#schema-").Append(id).AppendHtml("\"><code>").Append(type.Text).AppendHtml("</code></a>"),
        _ => new HtmlContentBuilder().AppendHtml("<code>").Append(type.Text).AppendHtml("</code>"),
    };
}
