using System.Globalization;

namespace Voxgate.Speech.Text.Ssml;

/// <summary>
/// Reads SSML attribute values into numbers: break times and strengths, prosody rate, pitch and volume, emphasis
/// levels. Each returns null for a value it cannot read; the parser reports it with its position.
/// </summary>
public static class SsmlValues
{
    /// <summary>Break strengths as pauses (none: no pause at all).</summary>
    public static TimeSpan? BreakStrength(string value) => value switch
    {
        "none" => TimeSpan.Zero,
        "x-weak" => TimeSpan.FromMilliseconds(100),
        "weak" => TimeSpan.FromMilliseconds(250),
        "medium" => TimeSpan.FromMilliseconds(500),
        "strong" => TimeSpan.FromMilliseconds(750),
        "x-strong" => TimeSpan.FromMilliseconds(1000),
        _ => null,
    };

    /// <summary><c>500ms</c>, <c>2s</c>, <c>1.5s</c>.</summary>
    public static TimeSpan? BreakTime(string value)
    {
        value = value.Trim();
        (string number, double scale) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 0.001)
            : value.EndsWith('s') ? (value[..^1], 1.0) : ("", 0);
        if (!TryNumber(number, out double amount) || amount < 0 || amount * scale > 3600)
        {
            return null;
        }
        return TimeSpan.FromSeconds(amount * scale);
    }

    /// <summary>A rate factor: a keyword, a multiplier (<c>1.5</c>), or a percentage absolute (<c>150%</c>) or relative (<c>+50%</c>).</summary>
    public static double? Rate(string value) => value.Trim() switch
    {
        "x-slow" => 0.5,
        "slow" => 0.75,
        "medium" or "default" => 1,
        "fast" => 1.25,
        "x-fast" => 1.75,
        string other => Factor(other, allowBareNumber: true),
    };

    /// <summary>Semitones: a keyword, <c>+2st</c>, or a relative percentage of the frequency (<c>+10%</c>).</summary>
    public static double? Pitch(string value)
    {
        value = value.Trim();
        switch (value)
        {
            case "x-low": return -4;
            case "low": return -2;
            case "medium" or "default": return 0;
            case "high": return 2;
            case "x-high": return 4;
        }
        if (value.EndsWith("st", StringComparison.Ordinal) && value[0] is '+' or '-' && TryNumber(value[..^2], out double semitones))
        {
            return semitones;
        }
        if (value.EndsWith('%') && value[0] is '+' or '-' && TryNumber(value[..^1], out double percent) && percent > -100)
        {
            return 12 * Math.Log2(1 + percent / 100);
        }
        return null;
    }

    /// <summary>A gain: a keyword, decibels (<c>+6dB</c>), a percentage (<c>+20%</c>, <c>80%</c>), or SSML's 0..100 with 100 as is.</summary>
    public static double? Volume(string value)
    {
        value = value.Trim();
        switch (value)
        {
            case "silent": return 0;
            case "x-soft": return 0.3;
            case "soft": return 0.5;
            case "medium" or "default": return 1;
            case "loud": return 1.4;
            case "x-loud": return 2;
        }
        if (value.EndsWith("dB", StringComparison.Ordinal) && TryNumber(value[..^2], out double decibels))
        {
            return Math.Pow(10, decibels / 20);
        }
        if (value.Length > 0 && char.IsAsciiDigit(value[0]) && TryNumber(value, out double level) && level <= 100)
        {
            return level / 100;
        }
        return Factor(value, allowBareNumber: false);
    }

    /// <summary><c>&lt;emphasis level&gt;</c> as a rate and a gain: words stressed are a little slower and louder.</summary>
    public static (double Rate, double Volume)? Emphasis(string value) => value switch
    {
        "strong" => (0.9, 1.4),
        "moderate" or "" => (0.95, 1.2),
        "reduced" => (1.05, 0.8),
        "none" => (1, 1),
        _ => null,
    };

    private static double? Factor(string value, bool allowBareNumber)
    {
        if (value.EndsWith('%'))
        {
            bool relative = value[0] is '+' or '-';
            if (!TryNumber(value[..^1], out double percent))
            {
                return null;
            }
            double factor = relative ? 1 + percent / 100 : percent / 100;
            return factor >= 0 ? factor : null;
        }
        return allowBareNumber && value.Length > 0 && char.IsAsciiDigit(value[0]) && TryNumber(value, out double number) ? number : null;
    }

    private static bool TryNumber(string text, out double value) =>
        double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
        && double.IsFinite(value);
}
