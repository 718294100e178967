using System.Text.Json;
using Voxgate.Speech.Synthesis;

namespace Voxgate.Http;

/// <summary>
/// Typed reads of optional fields of a JSON object. Absent and <c>null</c> both mean "not given"; a value of the
/// wrong type is an <see cref="SpeechErrorKind.InvalidParameter"/> naming the field, never a silent default.
/// </summary>
public static class JsonFields
{
    public static string? String(JsonElement parent, string name, string? path = null)
    {
        if (!TryGet(parent, name, out JsonElement value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw WrongType(path ?? name, "a string", value);
        }
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses escaped lone surrogates ("\ud800") when materialising the string.
            throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, path ?? name,
                $"'{path ?? name}' is not valid Unicode text (it contains an unpaired surrogate escape).");
        }
    }

    public static double? Number(JsonElement parent, string name, string? path = null)
    {
        if (!TryGet(parent, name, out JsonElement value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw WrongType(path ?? name, "a number", value);
        }
        if (!value.TryGetDouble(out double number) || !double.IsFinite(number))
        {
            throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, path ?? name, $"'{path ?? name}' is out of range.");
        }
        return number;
    }

    public static int? Integer(JsonElement parent, string name, string? path = null)
    {
        if (!TryGet(parent, name, out JsonElement value))
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Number)
        {
            throw WrongType(path ?? name, "an integer", value);
        }
        if (value.TryGetInt32(out int integer))
        {
            return integer;
        }
        // 24000.0 is an integer written as a float; 1e30 and 2.5 are not.
        if (value.TryGetDouble(out double number) && double.IsFinite(number) && number == Math.Floor(number)
            && number is >= int.MinValue and <= int.MaxValue)
        {
            return (int)number;
        }
        throw new SpeechRequestException(SpeechErrorKind.InvalidParameter, path ?? name,
            $"'{path ?? name}' must be an integer within ±{int.MaxValue}.");
    }

    public static bool? Boolean(JsonElement parent, string name, string? path = null)
    {
        if (!TryGet(parent, name, out JsonElement value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(path ?? name, "a boolean", value),
        };
    }

    /// <summary>The raw value of a field that is absent or null-as-absent aware.</summary>
    public static bool TryGet(JsonElement parent, string name, out JsonElement value) =>
        parent.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;

    public static SpeechRequestException WrongType(string path, string expected, JsonElement got) =>
        new(SpeechErrorKind.InvalidParameter, path,
            $"'{path}' must be {expected}; got a JSON {got.ValueKind.ToString().ToLowerInvariant()}.");
}
