using Microsoft.Extensions.Options;
using Voxgate.Speech.Synthesis;
using Voxgate.Speech.Text;

namespace Voxgate.Tests.Text;

/// <summary>What is a pause marker, what is a mistaken one (refused, never read aloud), and what is just text.</summary>
public class PauseMarkerTests
{
    private static readonly TextPreparer s_preparer = new(Options.Create(new TextOptions()));

    [Theory]
    [InlineData("<#-1#>")]
    [InlineData("<#NaN#>")]
    [InlineData("<#1e2#>")]
    [InlineData("<#Infinity#>")]
    [InlineData("<#-Infinity#>")]
    [InlineData("<# #>")]
    [InlineData("<##>")]
    [InlineData("<#1,5#>")]
    [InlineData("<#.5#>")]
    [InlineData("<#1.#>")]
    [InlineData("<#+1#>")]
    [InlineData("<#0x10#>")]
    [InlineData("<#1.5 seconds#>")]
    [InlineData("<#1.5s#>")]
    public void AMarkerThatIsNotANumberOfSecondsIsRefusedQuotingIt(string marker)
    {
        SpeechRequestException refused = Assert.Throws<SpeechRequestException>(() => s_preparer.Prepare($"Wait {marker} for it."));
        Assert.Equal(SpeechErrorKind.InvalidParameter, refused.Kind);
        Assert.Equal("input", refused.Parameter);
        Assert.Contains(marker, refused.Message);
        Assert.Contains("0.01 to 99.99", refused.Message);
        Assert.Contains("<#1.5#>", refused.Message);
    }

    [Theory]
    [InlineData("<#1.5#>", 1.5)]
    [InlineData("<# 1.5 #>", 1.5)]
    [InlineData("<#\t2\t#>", 2)]
    [InlineData("<#0.01#>", 0.01)]
    [InlineData("<#99.99#>", 99.99)]
    [InlineData("<#007#>", 7)]
    [InlineData("<#1.50000000000000000000000#>", 1.5)] // longer than a malformed body may be, still a marker
    public void AMarkerWithAPlainNumberOfSecondsIsAPause(string marker, double seconds)
    {
        List<(string Text, TimeSpan Pause)> pieces = PauseMarkers.Split($"Wait{marker}for it.");
        Assert.Equal(["Wait", "", "for it."], pieces.Select(p => p.Text));
        Assert.Equal(TimeSpan.FromSeconds(seconds), pieces[1].Pause);
    }

    [Theory]
    [InlineData("a <#100000000000000000000000000#> b")] // would overflow a TimeSpan
    [InlineData("a <#99.991#> b")]
    public void AHugeOrJustTooLongPauseIsRefusedAsOutOfRange(string text)
    {
        SpeechRequestException refused = Assert.Throws<SpeechRequestException>(() => PauseMarkers.Split(text));
        Assert.Contains("pauses are 0.01 to 99.99 seconds", refused.Message);
    }

    [Theory]
    [InlineData("C<#> is not a language.")]
    [InlineData("a <# b")]
    [InlineData("a #> b")]
    [InlineData("<#>")]
    [InlineData("x <#a<b#> y")]
    [InlineData("split <#1.5\nover lines#>")]
    public void TextWithoutAWholeMarkerIsSpoken(string text)
    {
        (string spoken, TimeSpan pause) = Assert.Single(PauseMarkers.Split(text));
        Assert.Equal(text, spoken);
        Assert.Equal(TimeSpan.Zero, pause);
    }

    [Fact]
    public void ABodyLongerThanAMarkerAttemptIsText()
    {
        string longest = "<#" + new string('x', PauseMarkers.LongestMalformedBody) + "#>";
        Assert.Throws<SpeechRequestException>(() => PauseMarkers.Split($"a {longest} b"));

        string prose = "<#" + new string('x', PauseMarkers.LongestMalformedBody + 1) + "#>";
        Assert.Equal($"a {prose} b", Assert.Single(PauseMarkers.Split($"a {prose} b")).Text);
    }
}
