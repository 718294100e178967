using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Voxgate.Gateway.Accounts;

namespace Voxgate.Http;

/// <summary>A file part of a multipart form.</summary>
public sealed record FormPart(string Filename, byte[] Content);

/// <summary>
/// A <c>multipart/form-data</c> body read with bounds: at most <c>maxFileBytes</c> for all files together, 4 KB per
/// text field, 32 parts, headers of 16 KB; a malformed body, or one past a bound, is the caller's error
/// (<see cref="GatewayInputException"/>) named after the offending part.
/// </summary>
public sealed class MultipartForm
{
    private const int MaxFieldBytes = 4096;
    private const int MaxParts = 32;

    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, FormPart> Files { get; } = new(StringComparer.Ordinal);

    public string? Field(string name) => Fields.GetValueOrDefault(name);

    public static async Task<MultipartForm> ReadAsync(HttpRequest request, long maxFileBytes, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            throw new GatewayInputException("body", "Send Content-Type multipart/form-data.");
        }
        var form = new MultipartForm();
        long fileBytes = 0;
        try
        {
            var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024 };
            int parts = 0;
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (++parts > MaxParts)
                {
                    throw new GatewayInputException("body", $"A form has at most {MaxParts} parts.");
                }
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out ContentDispositionHeaderValue? disposition))
                {
                    continue;
                }
                string name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                bool isFile = disposition.FileName.HasValue || disposition.FileNameStar.HasValue;
                long limit = isFile ? maxFileBytes - fileBytes : MaxFieldBytes;
                using var buffer = new MemoryStream();
                byte[] chunk = new byte[81920];
                int read;
                while ((read = await section.Body.ReadAsync(chunk, cancellationToken)) > 0)
                {
                    if (buffer.Length + read > limit)
                    {
                        throw new GatewayInputException(name, isFile ? $"The files of this form may hold at most {maxFileBytes:N0} bytes." : $"'{name}' is longer than {MaxFieldBytes} bytes.");
                    }
                    buffer.Write(chunk, 0, read);
                }
                if (isFile)
                {
                    fileBytes += buffer.Length;
                    string filename = Path.GetFileName(HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "upload");
                    form.Files[name] = new FormPart(filename, buffer.ToArray());
                }
                else
                {
                    form.Fields[name] = System.Text.Encoding.UTF8.GetString(buffer.ToArray()).Trim();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException && !cancellationToken.IsCancellationRequested)
        {
            throw new GatewayInputException("body", $"The body is not well-formed multipart/form-data ({ex.Message}).");
        }
        return form;
    }
}
