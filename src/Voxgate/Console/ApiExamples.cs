namespace Voxgate.WebConsole;

/// <summary>A runnable call of a model, in one client's words.</summary>
public sealed record ApiExample(string Key, string Label, string Code);

/// <summary>
/// Examples of <c>POST /v1/audio/speech</c> for one model against this server's own address, with the clients the
/// tests run against it (curl, the OpenAI SDKs for Python, JavaScript and .NET).
/// </summary>
public static class ApiExamples
{
    public const string Voice = "alloy";
    public const string Text = "Hello from Voxgate.";

    /// <summary>The server's address as the caller reached it (the proxy's, when forwarded headers are trusted).</summary>
    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    public static IReadOnlyList<ApiExample> For(string model, string baseUrl) =>
    [
        new("curl", "curl", $$"""
            curl {{baseUrl}}/v1/audio/speech \
              -H "Authorization: Bearer $VOXGATE_API_KEY" \
              -H "Content-Type: application/json" \
              -d '{"model":"{{model}}","voice":"{{Voice}}","input":"{{Text}}"}' \
              --output out.mp3
            """),
        new("python", "Python (openai)", $$"""
            from openai import OpenAI
            client = OpenAI(base_url="{{baseUrl}}/v1", api_key="YOUR_VOXGATE_KEY")

            with client.audio.speech.with_streaming_response.create(
                model="{{model}}", voice="{{Voice}}", input="{{Text}}"
            ) as response:
                response.stream_to_file("out.mp3")
            """),
        new("javascript", "JavaScript (openai)", $$"""
            import fs from "node:fs";
            import OpenAI from "openai";
            const client = new OpenAI({ baseURL: "{{baseUrl}}/v1", apiKey: process.env.VOXGATE_API_KEY });

            const speech = await client.audio.speech.create({ model: "{{model}}", voice: "{{Voice}}", input: "{{Text}}" });
            fs.writeFileSync("out.mp3", Buffer.from(await speech.arrayBuffer()));
            """),
        new("csharp", "C# (OpenAI)", $$"""
            using OpenAI;
            using OpenAI.Audio;
            using System.ClientModel;

            var client = new AudioClient("{{model}}", new ApiKeyCredential(Environment.GetEnvironmentVariable("VOXGATE_API_KEY")!),
                new OpenAIClientOptions { Endpoint = new Uri("{{baseUrl}}/v1") });
            BinaryData audio = client.GenerateSpeech("{{Text}}", new GeneratedSpeechVoice("{{Voice}}"));
            File.WriteAllBytes("out.mp3", audio.ToArray());
            """),
    ];
}
