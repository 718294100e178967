using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Api;

/// <summary>Hundreds of generated malformed or hostile bodies: none may cause a 5xx, and the server must stay live.</summary>
[Collection(ApiCollection.Name)]
public class HostileBodyTests(VoxgateFactory factory)
{
    private const string Valid = "{\"model\":\"tts-1\",\"input\":\"Hi there.\",\"voice\":\"flite:kal16\",\"response_format\":\"pcm\"}";

    private static readonly string[] s_fields = ["model", "input", "voice", "response_format", "format", "speed", "instructions", "stream_format", "sample_rate", "channels", "volume", "bitrate"];

    private static readonly string[] s_oddValues =
    [
        "null", "true", "false", "0", "-1", "1e999", "-1e999", "1e-999", "123456789012345678901234567890", "-0", "0.0000001",
        "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udfff\\ud800\"", "[]", "[[[]]]", "{}", "{\"id\":null}", "{\"id\":42}", "\"" + new string('z', 70_000) + "\"",
        "\"mp3\\u0000\"", "\"<script>alert(1)</script>\"", "\"../../etc/passwd\"", "\"%s%n%x\"", "NaN", "Infinity", "\"\\ufeff\\u202e\"",
    ];

    public static IEnumerable<byte[]> Bodies()
    {
        var random = new Random(20261121);
        byte[] valid = Encoding.UTF8.GetBytes(Valid);
        for (int i = 0; i < 60; i++) // random bytes
        {
            byte[] bytes = new byte[random.Next(0, 2048)];
            random.NextBytes(bytes);
            yield return bytes;
        }
        foreach (int depth in new[] { 17, 64, 1000, 100_000 }) // deep nesting
        {
            yield return Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', depth));
            yield return Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth));
            yield return Encoding.UTF8.GetBytes("{\"model\":\"tts-1\",\"voice\":" + new string('[', depth) + new string(']', depth) + "}");
        }
        foreach (string value in s_oddValues) // odd values as the whole body
        {
            yield return Encoding.UTF8.GetBytes(value);
        }
        foreach (string field in s_fields) // every field with every odd value
        {
            foreach (string value in s_oddValues)
            {
                yield return Encoding.UTF8.GetBytes(Valid.TrimEnd('}') + ",\"" + field + "\":" + value + "}");
            }
        }
        for (int i = 0; i < 60; i++) // byte flips and truncations of a valid body
        {
            byte[] mutated = (byte[])valid.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }
            yield return random.Next(3) == 0 ? mutated[..random.Next(mutated.Length)] : mutated;
        }
        byte[][] invalidUtf8 = [[0xC3, 0x28], [0xA0, 0xA1], [0xE2, 0x28, 0xA1], [0xF0, 0x28, 0x8C, 0xBC], [0xFF], [0xED, 0xA0, 0x80], [0xC0, 0xAF]];
        foreach (byte[] bad in invalidUtf8) // invalid UTF-8 inside strings and outside
        {
            yield return [.. "{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"a"u8.ToArray(), .. bad, .. "b\"}"u8.ToArray()];
            yield return [.. bad, .. valid];
        }
        yield return Encoding.UTF8.GetBytes("{\"model\":\"tts-1\",\"model\":\"tts-9\",\"input\":\"dup\",\"voice\":\"alloy\"}");
        yield return Encoding.UTF8.GetBytes(Valid + Valid);
        yield return Encoding.UTF8.GetBytes("\uFEFF" + Valid);
        yield return Encoding.UTF8.GetBytes("{\"model\":\"tts-1\",\"voice\":\"alloy\",\"input\":\"" + string.Concat(Enumerable.Repeat("\\u200b", 5000)) + "\"}");
    }

    [Fact]
    public async Task NoBodyCausesA5xxAndTheServerStaysLive()
    {
        HttpClient client = factory.CreateClient();
        var failures = new List<string>();
        int sent = 0;
        foreach (byte[] body in Bodies())
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            HttpResponseMessage response = await client.PostAsync("/v1/audio/speech", content);
            await response.Content.ReadAsByteArrayAsync();
            if ((int)response.StatusCode >= 500)
            {
                failures.Add($"{(int)response.StatusCode} for {Encoding.UTF8.GetString(body[..Math.Min(body.Length, 120)])}");
            }
            sent++;
        }
        Assert.True(sent >= 300, $"only {sent} bodies generated");
        Assert.Empty(failures);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/audio/speech", HttpJson.Raw(Valid))).StatusCode);
    }
}
