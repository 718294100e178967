using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Voxgate.Http;

/// <summary>Reads a bounded JSON object body: size first, then content type, then syntax.</summary>
public static class JsonRequestBody
{
    /// <summary>Deepest nesting accepted; request bodies of this API are at most three levels deep.</summary>
    public const int MaxDepth = 16;

    /// <returns>The parsed document; its root is a JSON object. The caller disposes it.</returns>
    public static async Task<JsonDocument> ReadObjectAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }
        if (!request.HasJsonContentType())
        {
            throw NotJson(request);
        }
        ReadOnlySequence<byte> body = await ReadAtMostAsync(request.BodyReader, maxBytes, cancellationToken);
        try
        {
            // A copy: parsing a one-segment sequence would keep pointing into the pipe's memory, which goes back to
            // Kestrel's pool below and is reused by other requests while this document is still read (seen under load
            // as one request reading another's fields).
            JsonDocument document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = MaxDepth });
            JsonValueKind kind = document.RootElement.ValueKind;
            if (kind != JsonValueKind.Object)
            {
                document.Dispose();
                throw new RequestBodyException(RequestBodyProblem.NotAnObject,
                    $"The request body must be a JSON object; got a JSON {kind.ToString().ToLowerInvariant()}.");
            }
            return document;
        }
        catch (JsonException ex)
        {
            string where = ex.LineNumber is long line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
            throw new RequestBodyException(RequestBodyProblem.Malformed,
                $"The request body is not valid JSON{where}. It must be a UTF-8 JSON object nested at most {MaxDepth} levels deep.");
        }
        finally
        {
            request.BodyReader.AdvanceTo(body.End);
        }
    }

    private static async Task<ReadOnlySequence<byte>> ReadAtMostAsync(PipeReader reader, long maxBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            ReadResult result = await reader.ReadAsync(cancellationToken);
            if (result.Buffer.Length > maxBytes)
            {
                reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
                throw TooLarge(maxBytes);
            }
            if (result.IsCompleted || result.IsCanceled)
            {
                return result.Buffer;
            }
            reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    /// <summary>The refusal of a body that is not JSON, also used when routing refuses it before the handler runs.</summary>
    public static RequestBodyException NotJson(HttpRequest request)
    {
        string received = string.IsNullOrEmpty(request.ContentType) ? "no Content-Type" : $"Content-Type '{request.ContentType}'";
        return new RequestBodyException(RequestBodyProblem.NotJson,
            $"The request body must be JSON sent with Content-Type: application/json; got {received}.");
    }

    private static RequestBodyException TooLarge(long maxBytes) =>
        new(RequestBodyProblem.TooLarge, $"The request body is larger than the {maxBytes:N0} bytes this endpoint accepts.");
}
