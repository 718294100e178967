using System.Collections;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Voxgate.Speech.Settings;

/// <summary>
/// One validator for every options class. The rules are the data annotations on each class's properties
/// (<see cref="RangeAttribute"/>, <see cref="PositiveAttribute"/>, <see cref="RequiredAttribute"/>, ...) and, for a rule
/// across properties, the class's <see cref="IValidatableObject"/>. Every problem is reported, not the first, and each
/// names the setting's full path as an operator writes it (<c>Voxgate:Billing:TopUpFeeBasisPoints must be between 0
/// and 10000</c>), so a single start tells what to fix. Values are never repeated in the messages: some are secrets.
/// </summary>
public static partial class SettingsValidation
{
    /// <summary>
    /// Binds <typeparamref name="TOptions"/> to <paramref name="section"/> and checks it when the host starts, so a
    /// bad setting stops the server before it listens rather than failing the first request that reads it.
    /// </summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, IConfiguration configuration, string section)
        where TOptions : class
    {
        services.AddSingleton<IValidateOptions<TOptions>>(new SettingsValidator<TOptions>(section));
        services.AddSingleton(new SettingsCheck(provider => _ = provider.GetRequiredService<IOptionsMonitor<TOptions>>().CurrentValue));
        return services.AddOptions<TOptions>().Bind(configuration.GetSection(section)).ValidateOnStart();
    }

    /// <summary>
    /// Every problem of every options class registered here, all at once: the host's own start-up check stops at the
    /// first class that cannot be bound. A value the binder cannot read (a word for a duration) is one problem among
    /// the others, said without the value.
    /// </summary>
    public static IReadOnlyList<string> ProblemsOfAll(IServiceProvider services)
    {
        var problems = new List<string>();
        foreach (SettingsCheck check in services.GetServices<SettingsCheck>())
        {
            try
            {
                check.Read(services);
            }
            catch (OptionsValidationException invalid)
            {
                problems.AddRange(invalid.Failures);
            }
            catch (InvalidOperationException unreadable) when (UnreadableValue().Match(unreadable.Message) is { Success: true } match)
            {
                problems.Add($"{match.Groups["path"].Value} {Expected(match.Groups["type"].Value)}");
            }
        }
        return problems;
    }

    /// <summary>Every problem with <paramref name="settings"/>, bound from <paramref name="section"/>: "path must ...".</summary>
    public static IReadOnlyList<string> Problems(object settings, string section)
    {
        var problems = new List<string>();
        Check(settings, section, problems);
        return problems;
    }

    private static void Check(object settings, string path, List<string> problems)
    {
        if (settings is IDictionary entries)
        {
            // Keyed settings (Voxgate:Upstreams:<provider>, Voxgate:Saturation:Engines:<engine>): each entry by its key.
            foreach (DictionaryEntry entry in entries)
            {
                CheckNested(entry.Value, $"{path}:{entry.Key}", problems);
            }
            return;
        }
        if (settings is IList items)
        {
            for (int i = 0; i < items.Count; i++)
            {
                CheckNested(items[i], $"{path}:{i}", problems);
            }
            return;
        }
        foreach (PropertyInfo property in settings.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            // Only what the binder sets: computed properties (a parsed address, say) are not settings.
            if (property.GetIndexParameters().Length > 0 || property.SetMethod is not { IsPublic: true })
            {
                continue;
            }
            string key = $"{path}:{property.Name}";
            object? value = property.GetValue(settings);
            foreach (ValidationAttribute rule in property.GetCustomAttributes<ValidationAttribute>(inherit: true))
            {
                if (!rule.IsValid(value))
                {
                    problems.Add($"{key} {Describe(rule)}");
                }
            }
            CheckNested(value, key, problems);
        }
        if (settings is IValidatableObject validatable)
        {
            foreach (ValidationResult result in validatable.Validate(new ValidationContext(settings)))
            {
                string member = result.MemberNames.FirstOrDefault() is { } name ? $"{path}:{name}" : path;
                problems.Add($"{member} {result.ErrorMessage}");
            }
        }
    }

    /// <summary>Goes into a value that holds settings of its own (an options class of ours, a keyed table, a list).</summary>
    private static void CheckNested(object? value, string path, List<string> problems)
    {
        if (value is null or string)
        {
            return;
        }
        Type type = value.GetType();
        bool ours = type.IsClass && type.Namespace?.StartsWith("Voxgate", StringComparison.Ordinal) == true;
        if (ours || value is IDictionary or IList)
        {
            Check(value, path, problems);
        }
    }

    /// <summary>The rule as the end of a sentence that starts with the setting's path.</summary>
    private static string Describe(ValidationAttribute rule) => rule switch
    {
        _ when rule.ErrorMessage is { } message => message,
        RequiredAttribute => "must be set",
        RangeAttribute range when IsUnbounded(range.Maximum) => $"must be at least {Text(range.Minimum)}",
        RangeAttribute range => $"must be between {Text(range.Minimum)} and {Text(range.Maximum)}",
        _ => $"is not valid ({rule.FormatErrorMessage("the value")})",
    };

    /// <summary>What a value of the type the binder wanted looks like.</summary>
    private static string Expected(string typeName) => typeName switch
    {
        "System.TimeSpan" => "must be a duration such as 00:00:30",
        "System.Int32" or "System.Int64" => "must be a whole number",
        "System.Double" or "System.Single" or "System.Decimal" => "must be a number",
        "System.Boolean" => "must be true or false",
        _ when AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(typeName)).FirstOrDefault(t => t is { IsEnum: true }) is { } choices =>
            $"must be one of {string.Join(", ", Enum.GetNames(choices))}",
        _ => $"must be a {typeName}",
    };

    // ConfigurationBinder's words: "Failed to convert configuration value '...' at 'Voxgate:Tasks:Lease' to type 'System.TimeSpan'."
    [GeneratedRegex(@"^Failed to convert configuration value .* at '(?<path>[^']+)' to type '(?<type>[^']+)'", RegexOptions.Singleline)]
    private static partial Regex UnreadableValue();

    private static bool IsUnbounded(object maximum) =>
        maximum is int or long or double && Convert.ToDouble(maximum, CultureInfo.InvariantCulture) >= int.MaxValue;

    private static string Text(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}

/// <summary>Reads one options class as the host would (binding it, then validating it): see <see cref="SettingsValidation.ProblemsOfAll"/>.</summary>
public sealed record SettingsCheck(Action<IServiceProvider> Read);

/// <summary>The <see cref="IValidateOptions{TOptions}"/> that runs <see cref="SettingsValidation"/>'s rules on one options class.</summary>
public sealed class SettingsValidator<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options) =>
        SettingsValidation.Problems(options, section) is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
}

/// <summary>A number or a duration that must be above zero (a count, a size, an interval, a lifetime).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PositiveAttribute : ValidationAttribute
{
    public PositiveAttribute() => ErrorMessage = "must be greater than zero";

    public override bool IsValid(object? value) => SettingSign.Of(value) is not (<= 0);
}

/// <summary>A number or a duration that may be zero (which then means "none" or "the default") but not below.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class NotNegativeAttribute : ValidationAttribute
{
    public NotNegativeAttribute() => ErrorMessage = "must not be negative";

    public override bool IsValid(object? value) => SettingSign.Of(value) is not (< 0);
}

internal static class SettingSign
{
    /// <summary>-1, 0 or 1; null when there is nothing to judge (an unset optional setting).</summary>
    public static int? Of(object? value) => value switch
    {
        null => null,
        TimeSpan duration => duration.CompareTo(TimeSpan.Zero),
        _ => Math.Sign(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
    };
}
