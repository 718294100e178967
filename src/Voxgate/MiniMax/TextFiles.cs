using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Voxgate.Gateway.Accounts;
using Voxgate.Speech.Text;

namespace Voxgate.MiniMax;

/// <summary>
/// The text of an uploaded <c>t2a_async_input</c> file: UTF-8 .txt; .json (<c>{title, content, extra}</c>); or a .zip of
/// either kind, named 1.txt, 2.txt, ... (or .json), read in numeric order. Bounded on every axis: bytes, entries,
/// expanded size and characters.
/// </summary>
public static class TextFiles
{
    public const int MaxCharacters = 1_000_000;
    private const int MaxEntries = 10_000;

    public static readonly string[] Extensions = [".txt", ".json", ".zip"];

    public static async Task<string> ReadAsync(Stream content, string filename, long maxBytes, CancellationToken cancellationToken)
    {
        string extension = Path.GetExtension(filename).ToLowerInvariant();
        string text = extension switch
        {
            ".txt" => Utf8(await ReadBoundedAsync(content, maxBytes, cancellationToken), filename),
            ".json" => FromJson(await ReadBoundedAsync(content, maxBytes, cancellationToken), filename),
            ".zip" => await FromZipAsync(content, maxBytes, cancellationToken),
            _ => throw Invalid($"'{filename}' is not a .txt, .json or .zip file."),
        };
        int characters = TextMetrics.CountCharacters(text);
        if (characters > MaxCharacters)
        {
            throw Invalid($"The file holds {characters:N0} characters; the limit is {MaxCharacters:N0}.");
        }
        if (!TextMetrics.HasSpeakableCharacters(text))
        {
            throw Invalid("The file holds no speakable text.");
        }
        return text;
    }

    private static async Task<string> FromZipAsync(Stream content, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream(await ReadBoundedAsync(content, maxBytes, cancellationToken));
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(buffer, ZipArchiveMode.Read);
        }
        catch (InvalidDataException)
        {
            throw Invalid("The .zip file is not a readable zip archive.");
        }
        using (archive)
        {
            ZipArchiveEntry[] entries = [.. archive.Entries.Where(e => e.Length > 0 || !e.FullName.EndsWith('/'))];
            if (entries.Length is 0 or > MaxEntries)
            {
                throw Invalid($"A .zip holds 1 to {MaxEntries:N0} files; this one holds {entries.Length}.");
            }
            string[] kinds = [.. entries.Select(e => Path.GetExtension(e.Name).ToLowerInvariant()).Distinct()];
            if (kinds.Length != 1 || kinds[0] is not (".txt" or ".json"))
            {
                throw Invalid("A .zip holds files of one kind, all .txt or all .json, named 1.txt, 2.txt, ...");
            }
            var ordered = new List<(long Number, ZipArchiveEntry Entry)>();
            foreach (ZipArchiveEntry entry in entries)
            {
                if (!long.TryParse(Path.GetFileNameWithoutExtension(entry.Name), out long number))
                {
                    throw Invalid($"The .zip entry '{entry.FullName}' is not named by its number (1{kinds[0]}, 2{kinds[0]}, ...).");
                }
                ordered.Add((number, entry));
            }
            var text = new StringBuilder();
            long expanded = 0;
            foreach ((_, ZipArchiveEntry entry) in ordered.OrderBy(e => e.Number))
            {
                // The declared length is not trusted: the read itself stops at the limit (zip bombs).
                await using Stream stream = entry.Open();
                byte[] bytes = await ReadBoundedAsync(stream, maxBytes - expanded, cancellationToken);
                expanded += bytes.Length;
                text.Append(kinds[0] == ".json" ? FromJson(bytes, entry.FullName) : Utf8(bytes, entry.FullName)).Append('\n');
            }
            return text.ToString();
        }
    }

    private static string FromJson(byte[] bytes, string name)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(bytes);
            JsonElement root = document.RootElement;
            string? content = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("content", out JsonElement c) && c.ValueKind == JsonValueKind.String
                ? c.GetString()
                : throw Invalid($"'{name}' has no \"content\" string.");
            string? title = root.TryGetProperty("title", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            return string.IsNullOrWhiteSpace(title) ? content! : $"{title}\n{content}";
        }
        catch (JsonException)
        {
            throw Invalid($"'{name}' is not valid JSON.");
        }
    }

    private static string Utf8(byte[] bytes, string name)
    {
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
        }
        catch (DecoderFallbackException)
        {
            throw Invalid($"'{name}' is not UTF-8 text.");
        }
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream stream, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw Invalid($"The text is larger than {maxBytes:N0} bytes.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    private static GatewayInputException Invalid(string message) => new("text_file_id", message);
}
