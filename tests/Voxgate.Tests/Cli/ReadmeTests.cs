using System.Text.RegularExpressions;
using Voxgate.Gateway.Billing;
using Voxgate.Speech.Synthesis;
using Voxgate.Tests.Support;

namespace Voxgate.Tests.Cli;

/// <summary>The README's examples say what the server does: a reader who follows them gets what they read.</summary>
public partial class ReadmeTests
{
    private static readonly string s_readme = File.ReadAllText(Path.Combine(ServerProcess.RepositoryRoot(), "README.md"));

    [Fact]
    public void SetUpIsExactlyTwoCommands()
    {
        string setUp = s_readme[s_readme.IndexOf("## Set-up", StringComparison.Ordinal)..s_readme.IndexOf("## Use", StringComparison.Ordinal)];
        string block = CodeBlock().Match(setUp).Groups["code"].Value;
        Assert.Equal(["./run.sh", "./test.sh"], block.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[0]));
    }

    [Fact]
    public void TheAsynchronousBookIsReadByAnEnglishVoice()
    {
        Match task = Regex.Match(s_readme, @"t2a_async_v2.*?voice_id\\"":\\""(?<voice>[^\\""]+)", RegexOptions.Singleline);
        Assert.True(task.Success, "the README's async example names a voice");
        SpeechPlan plan = SpeechServices.Get<SpeechPlanner>().Plan(new SpeechRequest
        {
            Model = "speech-02-hd", Voice = task.Groups["voice"].Value, Input = "Chapter one. It was a bright cold day in April.",
        });
        Assert.StartsWith("en", plan.Voice.Language);
    }

    [Fact]
    public void TheTopUpExampleStatesWhatIsLeftAfterTheFee()
    {
        long paid = 50 * Money.MicrosPerDollar;
        long credit = paid - Money.Fee(paid, new BillingOptions().TopUpFeeBasisPoints);
        Assert.Contains("--amount 50.00", s_readme);
        Assert.Contains($"${Money.FormatDollars(credit)}", s_readme);
        Assert.Equal("47.50", Money.FormatDollars(credit));
    }

    [Fact]
    public void CommandsOnTheServersDatabaseNameItsDataDirectory()
    {
        string[] commands = [.. s_readme.Split('\n').Where(l => Regex.IsMatch(l, @"\./voxgate (accounts|keys|wallet) "))];
        Assert.NotEmpty(commands);
        Assert.All(commands, c => Assert.Contains("--data ", c));
        Assert.Contains("server's `--data`", s_readme);
    }

    [GeneratedRegex(@"```bash\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();
}
