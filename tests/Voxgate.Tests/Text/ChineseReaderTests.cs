using Microsoft.Extensions.Options;
using Voxgate.Speech.Text;
using Voxgate.Speech.Text.Normalization;

namespace Voxgate.Tests.Text;

/// <summary>
/// Each Chinese reader alone, through <see cref="ChineseFrontEnd.ReadAs"/>: what it reads and what it must leave to
/// others; the number vocabulary's 零 and 两 rules; when text is read as Chinese; and that the caller's text stays
/// what subtitles point at.
/// </summary>
public class ChineseReaderTests
{
    private static readonly ChineseFrontEnd s_reader = ChineseFrontEnd.Default;

    [Theory]
    [InlineData(TokenKind.Cardinal, "10010", "一万零一十")]
    [InlineData(TokenKind.Cardinal, "2", "二")]
    [InlineData(TokenKind.Cardinal, "-3.5", "负三点五")]
    [InlineData(TokenKind.Cardinal, "007", "零零七")]
    [InlineData(TokenKind.Ordinal, "第3", "第三")]
    [InlineData(TokenKind.Ordinal, "第2", "第二")]
    [InlineData(TokenKind.Digits, "2024", "二零二四")]
    [InlineData(TokenKind.Year, "2024年", "二零二四年")]
    [InlineData(TokenKind.Year, "80后", "八零后")]
    [InlineData(TokenKind.Date, "2024年3月5日", "二零二四年三月五日")]
    [InlineData(TokenKind.Date, "2024-03-05", "二零二四年三月五日")]
    [InlineData(TokenKind.Date, "2月2号", "二月二号")]
    [InlineData(TokenKind.Date, "2024.3.5", "二零二四年三月五日")]
    [InlineData(TokenKind.Date, "2024-03-05~2024-03-07", "二零二四年三月五日到二零二四年三月七日")]
    [InlineData(TokenKind.Time, "8:30", "八点三十分")]
    [InlineData(TokenKind.Time, "2:00", "两点")]
    [InlineData(TokenKind.Time, "8:05:09", "八点零五分零九秒")]
    [InlineData(TokenKind.Telephone, "13800138000", "幺三八，零零幺三，八零零零")]
    [InlineData(TokenKind.Telephone, "010-12345678", "零幺零，幺二三四，五六七八")]
    [InlineData(TokenKind.Money, "¥12.5", "十二点五元")]
    [InlineData(TokenKind.Money, "¥2", "两元")]
    [InlineData(TokenKind.Money, "$3.5亿", "三点五亿美元")]
    [InlineData(TokenKind.Percent, "45%", "百分之四十五")]
    [InlineData(TokenKind.Percent, "10-20%", "百分之十到二十")]
    [InlineData(TokenKind.Fraction, "3/4", "四分之三")]
    [InlineData(TokenKind.Fraction, "1又1/2", "一又二分之一")]
    [InlineData(TokenKind.Unit, "2kg", "两公斤")]
    [InlineData(TokenKind.Unit, "-5°C", "零下五摄氏度")]
    [InlineData(TokenKind.Unit, "100 km/h", "一百公里每小时")]
    [InlineData(TokenKind.Cardinal, "3:2", "三比二")]
    [InlineData(TokenKind.Cardinal, "1:1000", "一比一千")]
    [InlineData(TokenKind.Cardinal, "１２３", "一百二十三")]
    [InlineData(TokenKind.Time, "１０：３０", "十点三十分")]
    [InlineData(TokenKind.Time, "9秒58", "九秒五八")]
    [InlineData(TokenKind.Time, "2秒05", "两秒零五")]
    [InlineData(TokenKind.Time, "1:54.28", "一分五十四秒二八")]
    [InlineData(TokenKind.Time, "1'23\"45", "一分二十三秒四五")]
    [InlineData(TokenKind.Telephone, "95588", "九五五八八")]
    [InlineData(TokenKind.Telephone, "0755-8888 6666", "零七五五，八八八八，六六六六")]
    [InlineData(TokenKind.Telephone, "１３８００１３８０００", "幺三八，零零幺三，八零零零")]
    [InlineData(TokenKind.Percent, "１２．５％", "百分之十二点五")]
    [InlineData(TokenKind.Digits, "２０２４", "二零二四")]
    public void ReadsATokenAsItsKind(TokenKind kind, string token, string spoken) => Assert.Equal(spoken, s_reader.ReadAs(kind, token));

    [Theory]
    [InlineData(TokenKind.Date, "2024-13-45")]
    [InlineData(TokenKind.Date, "2024年2月30日")]
    [InlineData(TokenKind.Time, "25:61")]
    [InlineData(TokenKind.Telephone, "12345")]
    [InlineData(TokenKind.Fraction, "3/1")]
    [InlineData(TokenKind.Unit, "5 parsecs")]
    [InlineData(TokenKind.Money, "12.5")]
    [InlineData(TokenKind.Ordinal, "3")]
    [InlineData(TokenKind.Year, "2年")]
    [InlineData(TokenKind.Percent, "45")]
    [InlineData(TokenKind.Digits, "abc")]
    [InlineData(TokenKind.Telephone, "13800000000元")]
    [InlineData(TokenKind.Telephone, "95588人")]
    [InlineData(TokenKind.Telephone, "110")]
    [InlineData(TokenKind.Cardinal, "10:30")]
    [InlineData(TokenKind.Time, "3:2")]
    public void RefusesWhatIsNotOfItsKind(TokenKind kind, string token) => Assert.Null(s_reader.ReadAs(kind, token));

    [Theory]
    [InlineData(0, "零")]
    [InlineData(10, "十")]
    [InlineData(15, "十五")]
    [InlineData(20, "二十")]
    [InlineData(110, "一百一十")]
    [InlineData(101, "一百零一")]
    [InlineData(200, "二百")]
    [InlineData(1001, "一千零一")]
    [InlineData(1010, "一千零一十")]
    [InlineData(2000, "两千")]
    [InlineData(2222, "两千二百二十二")]
    [InlineData(10010, "一万零一十")]
    [InlineData(20000, "两万")]
    [InlineData(22000, "两万两千")]
    [InlineData(100000, "十万")]
    [InlineData(101000, "十万一千")]
    [InlineData(100100, "十万零一百")]
    [InlineData(120000, "十二万")]
    [InlineData(100000000, "一亿")]
    [InlineData(100000001, "一亿零一")]
    [InlineData(100010000, "一亿零一万")]
    [InlineData(200000000, "两亿")]
    [InlineData(1000000000000, "一万亿")]
    [InlineData(-12, "负十二")]
    public void CardinalsFollowTheZeroAndTwoRules(long number, string spoken) => Assert.Equal(spoken, ChineseNumberWords.Cardinal(number));

    [Theory]
    [InlineData("2个", "两个")]
    [InlineData("2月", "二月")]
    [InlineData("2-3个", "两到三个")]
    [InlineData("2分之1", "二分之一")]
    [InlineData("12个", "十二个")]
    [InlineData("2.5个", "二点五个")]
    public void TwoIsLiangOnlyWhenItCounts(string written, string spoken) =>
        Assert.StartsWith(spoken, s_reader.Normalize(written), StringComparison.Ordinal);

    [Theory]
    [InlineData("以10:12落后", "以十比十二落后")] // a game word and no clock word: a score
    [InlineData("落后的队伍10:12出发", "落后的队伍十点十二分出发")] // a clock word wins over a game word
    [InlineData("红队于10:12集合", "红队于十点十二分集合")] // 队 alone says nothing of a result
    [InlineData("比赛结束，10:12离场", "比赛结束，十点十二分离场")] // the game word is in another clause
    [InlineData("现在10:12", "现在十点十二分")] // nothing said of a game: a time
    [InlineData("领先25:10", "领先二十五比十")] // 25 cannot be an hour
    [InlineData("比分12:60", "比分十二比六十")] // 60 cannot be minutes
    [InlineData("马拉松用时2:01:09", "马拉松用时两小时零一分零九秒")]
    [InlineData("每30秒10次", "每三十秒十次")] // a count after 秒 is no hundredths
    [InlineData("30秒后出发", "三十秒后出发")]
    [InlineData("马拉松用时2:00:35", "马拉松用时两小时零三十五秒")]
    [InlineData("马拉松用时2:05:00", "马拉松用时两小时零五分")]
    [InlineData("下午2:01:09", "下午两点零一分零九秒")]
    [InlineData("请打120", "请打幺二零")]
    [InlineData("119消防", "幺幺九消防")]
    [InlineData("得了120分", "得了一百二十分")]
    [InlineData("增加到120。", "增加到一百二十。")]
    [InlineData("95588多人", "九万五千五百八十八多人")]
    [InlineData("A320和RTX4090", "A三二零和RTX四零九零")]
    [InlineData("Top 100", "Top 一百")]
    [InlineData("F-16战机", "F 十六战机")]
    [InlineData("停在B1-3层", "停在B一到三层")] // a range after a name's number still joins
    [InlineData("型号ABC-123-456", "型号ABC 一二三 四五六")]
    [InlineData("气温-5度，东风-41", "气温零下五度，东风四十一")]
    [InlineData("No. 3种子", "第三种子")]
    public void DoubtfulFormsAreDecidedByTheWordsAround(string written, string spoken) => Assert.Equal(spoken, s_reader.Normalize(written));

    [Theory]
    [InlineData("cmn", "Call 555-0142", true)]
    [InlineData("yue", "3", true)]
    [InlineData("zh-cn", "3", true)]
    [InlineData(null, "我有3个apple", true)]
    [InlineData("en-us", "我有3只猫", true)]
    [InlineData("ja", "2024年3月5日", false)]
    [InlineData(null, "2024年3月5日です", false)]
    [InlineData(null, "I have 3 cats", false)]
    [InlineData("en-us", "I have 3 cats", false)]
    public void ChineseIsReadForAChineseLanguageOrHanText(string? language, string text, bool chinese) =>
        Assert.Equal(chinese, ChineseFrontEnd.Reads(language, text));

    [Fact]
    public void ThePreparedChineseTextMapsBackToTheCallersText()
    {
        var preparer = new TextPreparer(Options.Create(new TextOptions()));
        const string input = "2024年3月5日，我买了2个苹果，花了¥12.5。";
        PreparedText prepared = preparer.Prepare(input, new TextPreparation(ExpandForSpeech: true, Language: "cmn"));
        Assert.Equal("二零二四年三月五日，我买了两个苹果，花了十二点五元。", prepared.Text);
        Assert.Equal(input, prepared.Source);
        foreach ((string spokenWord, string writtenWord) in new[] { ("三月", "2024年3月5日"), ("两", "2"), ("苹果", "苹果"), ("十二点五元", "¥12.5"), ("我", "我") })
        {
            int at = prepared.Text.IndexOf(spokenWord, StringComparison.Ordinal);
            (int start, int end) = prepared.SourceSpan(at, spokenWord.Length);
            Assert.Equal(writtenWord, prepared.Source[start..end]);
        }
        Assert.Equal(input.Length, prepared.InputCharacters); // billed on the caller's text, not the longer spoken one
    }

    [Fact]
    public void FullWidthTextIsReadAsAsciiAndMapsBackToWhatTheCallerWrote()
    {
        var preparer = new TextPreparer(Options.Create(new TextOptions()));
        const string input = "比分３：２，ＡＢＣ队于１０：３０领奖，奖金￥５００。";
        PreparedText prepared = preparer.Prepare(input, new TextPreparation(ExpandForSpeech: true, Language: "cmn"));
        Assert.Equal("比分三比二，ＡＢＣ队于十点三十分领奖，奖金五百元。", prepared.Text); // letters and punctuation stay as written
        Assert.Equal(input, prepared.Source);
        foreach ((string spokenWord, string writtenWord) in new[]
        {
            ("三比二", "３：２"), ("ＡＢＣ", "ＡＢＣ"), ("十点三十分", "１０：３０"), ("领奖", "领奖"), ("五百元", "￥５００"), ("。", "。"),
        })
        {
            int at = prepared.Text.IndexOf(spokenWord, StringComparison.Ordinal);
            (int start, int end) = prepared.SourceSpan(at, spokenWord.Length);
            Assert.Equal(writtenWord, prepared.Source[start..end]);
        }
    }

    [Fact]
    public void EnglishTextWithAnEnglishVoiceIsStillReadInEnglish()
    {
        var preparer = new TextPreparer(Options.Create(new TextOptions()));
        PreparedText prepared = preparer.Prepare("I have 2 cats.", new TextPreparation(ExpandForSpeech: true, Language: "en-us"));
        Assert.Equal("I have two cats.", prepared.Text);
    }

    [Theory]
    [InlineData("0000-01-01")]
    [InlineData("第99999999999999999")]
    [InlineData("99999999999999999999个")]
    [InlineData("1/0，¥，-，第，+86，3~，25:00，2024年13月")]
    [InlineData("0.5.6 1,2,3 -¥ ¥-5 ½½ 10%%")]
    [InlineData("０：０：０ ＡＢ－ －１ ９秒 1' 2\" 3:4:5:6 99:99 No. No.x 歼- -- 2024.1.1-2024.2.30 （）０（")]
    [InlineData("9秒999999 1:2.3 25:00:00 120120 95588000 2023/99赛季 ∶∶3∶")]
    public void OddTextIsReadWithoutFailingAndMapsBackWhole(string written)
    {
        (string spoken, TextAlignment alignment) = s_reader.Read(written);
        Assert.NotEmpty(spoken);
        Assert.Equal((0, written.Length), alignment.ToSource(0, spoken.Length));
    }
}
