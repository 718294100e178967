using Voxgate.Speech.Upstreams;

namespace Voxgate.Tests.EndToEnd;

/// <summary>A provider's text, before it goes into our messages and logs: keys redacted, one line, bounded.</summary>
public class ProviderTextTests
{
    [Theory]
    [InlineData("Incorrect API key provided: sk-proj-AbCdEf0123456789xyz_QRSTuvw.", "sk-proj-AbCdEf0123456789xyz_QRSTuvw")]
    [InlineData("Incorrect API key provided: sk-abc123DEF456ghi.", "sk-abc123DEF456ghi")]
    [InlineData("key sk-vg-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg refused", "sk-vg-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefg")]
    [InlineData("invalid api key sk-api-Zx81_kLm-02 for group", "sk-api-Zx81_kLm-02")]
    [InlineData("invalid api key sk-cp-9f8e7d6c5b4a", "sk-cp-9f8e7d6c5b4a")]
    [InlineData("we got: Authorization: Bearer abc.DEF-123~xyz/+= from you", "abc.DEF-123~xyz/+=")]
    [InlineData("we got: authorization: bearer short1 from you", "short1")]
    [InlineData("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl expired", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")]
    [InlineData("hex 0123456789abcdef0123456789abcdef0123 is not yours", "0123456789abcdef0123456789abcdef0123")]
    [InlineData("base64 QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MTIz== seen", "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0MTIz==")]
    [InlineData("base62 Zq7Lm2Xw9Rt4Yp8Nk3Vb6Hc1Jd5Gf0Sa is bad", "Zq7Lm2Xw9Rt4Yp8Nk3Vb6Hc1Jd5Gf0Sa")]
    [InlineData("{\"api_key\": \"hunter2\", \"ok\": false}", "hunter2")]
    [InlineData("password=letmein&user=x", "letmein")]
    public void KeyShapedTextIsRedacted(string text, string secret)
    {
        string quoted = ProviderText.Quote(text);
        Assert.DoesNotContain(secret, quoted);
        Assert.Contains(ProviderText.Redacted, quoted);
    }

    [Fact]
    public void TheWordsAroundASecretStay()
    {
        Assert.Equal("Incorrect API key provided: [redacted]. You can find your API key at https://platform.example.com/account.",
            ProviderText.Quote("Incorrect API key provided: sk-live-0123456789abcdef. You can find your API key at https://platform.example.com/account."));
        Assert.Equal("Authorization: Bearer [redacted] was refused", ProviderText.Quote("Authorization: Bearer sk-live-abcdef0123456789 was refused"));
    }

    [Theory]
    [InlineData("The voice 'nobody-at-all' does not exist; GET /v1/audio/voices lists the voices.")]
    [InlineData("invalid params, model speech-02-hd does not support emotion 'furious'")]
    [InlineData("Rate limit reached for tts-1 in organization on requests per min (RPM): Limit 3, Used 3.")]
    [InlineData("task-based input is not supported; ask a skilled operator")]
    public void OrdinaryProseIsKeptAsItIs(string text) => Assert.Equal(text, ProviderText.Quote(text));

    [Fact]
    public void ControlCharactersAndLineBreaksBecomeOneLine()
    {
        Assert.Equal("upstream crashed at line 2", ProviderText.Quote("upstream\r\ncrashed\tat\u0000line 2\n"));
        Assert.Equal("a b c d e f", ProviderText.Quote("a\r\nb\u2028c\u2029d\u202Ee\u0007f"));
    }

    [Fact]
    public void LongTextIsCutWithAnEllipsis()
    {
        string text = string.Concat(Enumerable.Repeat("The provider failed badly. ", 20));
        string quoted = ProviderText.Quote(text);
        Assert.EndsWith("...", quoted);
        Assert.True(quoted.Length <= ProviderText.MaxLength + 3, quoted);
        Assert.StartsWith("The provider failed badly. The provider", quoted);
        Assert.Equal("short enough", ProviderText.Quote("short enough"));
    }

    [Fact]
    public void ASecretAtTheCutIsRedactedNotHalfShown()
    {
        // Cut first, and what is left of the key (20 characters) would be too short for the long-run rule.
        string words = string.Concat(Enumerable.Repeat("word ", (ProviderText.MaxLength - 20) / 5));
        const string key = "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
        Assert.Equal(words + ProviderText.Redacted, ProviderText.Quote(words + key));
    }

    [Fact]
    public void NothingIsEmpty()
    {
        Assert.Equal("", ProviderText.Quote(null));
        Assert.Equal("", ProviderText.Quote(""));
    }
}
