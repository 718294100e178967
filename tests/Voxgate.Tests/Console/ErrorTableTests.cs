using Voxgate.OpenAi;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.WebConsole;

/// <summary>docs/api.md's error table is <see cref="OpenAiErrorTable"/>, which the console, /openapi.json and /llms.txt show.</summary>
public sealed class ErrorTableTests
{
    [Fact]
    public void DocsApiErrorsTableListsTheSameRowsAsTheCode()
    {
        string[] lines = File.ReadAllLines(Path.Combine(ServerProcess.RepositoryRoot(), "docs", "api.md"));
        int start = Array.FindIndex(lines, l => l.StartsWith("| Situation | Status | type | code | param |", StringComparison.Ordinal));
        Assert.True(start >= 0, "docs/api.md has the OpenAI errors table");
        string[] documented = [.. lines.Skip(start + 2).TakeWhile(l => l.StartsWith('|')).Select(Cells)];
        string[] coded = [.. OpenAiErrorTable.Rows.Select(r =>
            Cells($"| {r.Situation} | {r.StatusText} | {(r.Type.Length == 0 ? "" : $"`{r.Type}`")} | {(r.Code.StartsWith('`') ? r.Code : $"`{r.Code}`")} | {r.Param ?? "null"} |"))];
        Assert.Equal(documented, coded);
    }

    private static string Cells(string row) => string.Join(" | ", row.Trim('|').Split('|').Select(c => c.Trim()));
}
