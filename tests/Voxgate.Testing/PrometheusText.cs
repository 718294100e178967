using System.Globalization;
using System.Text;

namespace Voxgate.Tests.Support;

/// <summary>One sample of a scrape: a series (name and labels) and its value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string Label(string name) => Labels.TryGetValue(name, out string? value) ? value : "";
}

/// <summary>
/// A strict reader of the Prometheus text exposition format 0.0.4: every line is a <c># HELP</c>, a <c># TYPE</c>, another
/// comment, or a sample (<c>name{label="value",...} value [timestamp]</c>), and anything else is an error, as are an
/// invalid name, a label twice in one sample, an unterminated or badly escaped label value, a value that is not a
/// number, a family typed twice or after its samples, a series given twice, and a histogram whose buckets are not
/// cumulative or whose <c>+Inf</c> bucket differs from its count.
/// </summary>
public sealed class PrometheusText
{
    private PrometheusText(IReadOnlyList<PrometheusSample> samples, IReadOnlyDictionary<string, string> types)
    {
        Samples = samples;
        Types = types;
    }

    public IReadOnlyList<PrometheusSample> Samples { get; }

    /// <summary>Each family's declared type (counter, gauge, histogram, summary, untyped).</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    /// <summary>Every sample name that appears (histograms' <c>_bucket</c>, <c>_sum</c> and <c>_count</c> included).</summary>
    public IReadOnlySet<string> Names => Samples.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include all of <paramref name="labels"/>.</summary>
    public double Sum(string name, params (string Name, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Label(l.Name) == l.Value)).Sum(s => s.Value);

    /// <summary>
    /// Scrapes a server alone in its process (a <see cref="ServerProcess"/>) at <c>/metrics</c>, as a local scraper
    /// (no key), and returns the text, checked to be the text format.
    /// </summary>
    public static async Task<string> ScrapeTextAsync(HttpClient client)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.Accept.ParseAdd("text/plain");
        using HttpResponseMessage response = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary><see cref="ScrapeTextAsync"/>, parsed.</summary>
    public static async Task<PrometheusText> ScrapeAsync(HttpClient client) => Parse(await ScrapeTextAsync(client));

    /// <param name="sharedProcess">
    /// The scraped server shares its process with other servers (in-process tests): OpenTelemetry listens to ASP.NET
    /// Core's meters by name, so another host's instruments with the same labels appear as a second series, which a
    /// server alone in its process never shows. Only then are repeated series accepted.
    /// </param>
    public static PrometheusText Parse(string text, bool sharedProcess = false)
    {
        var samples = new List<PrometheusSample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var sampled = new HashSet<string>(StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        string[] lines = text.Split('\n');
        if (lines[^1].Length != 0)
        {
            throw new FormatException("The exposition does not end with a line feed.");
        }
        for (int number = 1; number < lines.Length; number++)
        {
            string line = lines[number - 1];
            try
            {
                if (line.Length == 0)
                {
                    continue;
                }
                if (line.StartsWith('#'))
                {
                    ReadComment(line, types, sampled);
                    continue;
                }
                PrometheusSample sample = ReadSample(line);
                if (!series.Add(sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}")
                    && !sharedProcess)
                {
                    throw new FormatException("the series appears twice");
                }
                sampled.Add(Family(sample.Name, types));
                samples.Add(sample);
            }
            catch (FormatException ex)
            {
                throw new FormatException($"Line {number}: {ex.Message}: {line}");
            }
        }
        if (!sharedProcess) // two hosts' histograms interleave; a server alone in its process is checked whole
        {
            CheckHistograms(samples, types);
        }
        return new PrometheusText(samples, types);
    }

    private static void ReadComment(string line, Dictionary<string, string> types, HashSet<string> sampled)
    {
        string[] parts = line.Split(' ', 4);
        if (parts.Length < 3 || parts[0] != "#" || parts[1] is not ("HELP" or "TYPE"))
        {
            return; // any other comment
        }
        string name = parts[2];
        RequireName(name);
        if (parts[1] == "TYPE")
        {
            string type = parts.Length == 4 ? parts[3] : throw new FormatException("TYPE without a type");
            if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
            {
                throw new FormatException($"unknown type {type}");
            }
            if (sampled.Contains(name))
            {
                throw new FormatException("TYPE after the family's samples");
            }
            if (!types.TryAdd(name, type))
            {
                throw new FormatException("the family is typed twice");
            }
        }
    }

    private static PrometheusSample ReadSample(string line)
    {
        int position = 0;
        while (position < line.Length && line[position] is not ('{' or ' '))
        {
            position++;
        }
        string name = line[..position];
        RequireName(name);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                int start = position;
                while (position < line.Length && line[position] != '=')
                {
                    position++;
                }
                string label = line[start..position];
                if (label.Length == 0 || !(char.IsAsciiLetter(label[0]) || label[0] == '_') || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                {
                    throw new FormatException($"invalid label name '{label}'");
                }
                if (position + 1 >= line.Length || line[position + 1] != '"')
                {
                    throw new FormatException("a label value is not quoted");
                }
                position += 2;
                var value = new StringBuilder();
                while (true)
                {
                    if (position >= line.Length)
                    {
                        throw new FormatException("unterminated label value");
                    }
                    char c = line[position++];
                    if (c == '"')
                    {
                        break;
                    }
                    if (c == '\\')
                    {
                        char escaped = position < line.Length ? line[position++] : throw new FormatException("unterminated escape");
                        value.Append(escaped switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"invalid escape \\{escaped}"),
                        });
                        continue;
                    }
                    value.Append(c);
                }
                if (!labels.TryAdd(label, value.ToString()))
                {
                    throw new FormatException($"label {label} twice");
                }
                if (line[position] == ',')
                {
                    position++;
                }
                else if (line[position] != '}')
                {
                    throw new FormatException("labels not separated by a comma");
                }
            }
            position++;
        }
        if (position >= line.Length || line[position] != ' ')
        {
            throw new FormatException("no value");
        }
        string[] rest = line[(position + 1)..].Split(' ');
        if (rest.Length is < 1 or > 2)
        {
            throw new FormatException("more than a value and a timestamp");
        }
        if (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw new FormatException("the timestamp is not an integer");
        }
        return new PrometheusSample(name, labels, Number(rest[0]));
    }

    private static double Number(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) => value,
        _ => throw new FormatException($"'{text}' is not a number"),
    };

    private static void RequireName(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] is '_' or ':') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':'))
        {
            throw new FormatException($"invalid metric name '{name}'");
        }
    }

    /// <summary>The family a sample belongs to: a histogram's <c>_bucket</c>, <c>_sum</c> and <c>_count</c> are its own.</summary>
    private static string Family(string name, Dictionary<string, string> types)
    {
        foreach (string suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.GetValueOrDefault(name[..^suffix.Length]) is "histogram" or "summary")
            {
                return name[..^suffix.Length];
            }
        }
        return name;
    }

    private static void CheckHistograms(List<PrometheusSample> samples, Dictionary<string, string> types)
    {
        foreach (string family in types.Where(t => t.Value == "histogram").Select(t => t.Key))
        {
            var buckets = samples.Where(s => s.Name == family + "_bucket")
                .GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));
            foreach (var series in buckets)
            {
                List<(double Le, double Count)> ordered = [.. series.Select(s => (Number(s.Label("le")), s.Value)).OrderBy(b => b.Item1)];
                if (!double.IsPositiveInfinity(ordered[^1].Le))
                {
                    throw new FormatException($"{family}{{{series.Key}}} has no +Inf bucket");
                }
                for (int i = 1; i < ordered.Count; i++)
                {
                    if (ordered[i].Count < ordered[i - 1].Count)
                    {
                        throw new FormatException($"{family}{{{series.Key}}}: the buckets are not cumulative");
                    }
                }
                PrometheusSample count = samples.SingleOrDefault(s => s.Name == family + "_count" && Key(s) == series.Key)
                    ?? throw new FormatException($"{family}{{{series.Key}}} has buckets but no count");
                if (count.Value != ordered[^1].Count)
                {
                    throw new FormatException($"{family}{{{series.Key}}}: the +Inf bucket differs from the count");
                }
            }
        }

        static string Key(PrometheusSample s) =>
            string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
    }
}
