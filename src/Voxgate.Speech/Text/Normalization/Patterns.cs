namespace Voxgate.Speech.Text.Normalization;

/// <summary>Regular-expression pieces the readers share.</summary>
internal static class Patterns
{
    /// <summary>A number as written: 1,234,567 or 1234, with decimals or without (3.14), or only decimals (.5).</summary>
    public const string Number = @"(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)";

    /// <summary>A token ends here: no letter or digit follows, nor a decimal point and a digit.</summary>
    public const string End = @"(?![\p{L}\p{N}]|[.,]\d)";

    /// <summary>A minus sign: the hyphen-minus or the Unicode minus.</summary>
    public const string Minus = "[-−]";

    /// <summary>A dash between the ends of a range: a hyphen, or an en dash with or without spaces.</summary>
    public const string RangeDash = @"(?:-|\s?–\s?)";
}
