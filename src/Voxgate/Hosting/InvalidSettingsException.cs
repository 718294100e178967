using Microsoft.Extensions.Options;

namespace Voxgate.Hosting;

/// <summary>
/// Settings the server refuses to start with, every one of them (<see cref="Speech.Settings.SettingsValidation"/>):
/// <c>voxgate serve</c> prints them and exits rather than failing the first request that reads one.
/// </summary>
public sealed class InvalidSettingsException(IReadOnlyList<string> problems)
    : Exception("The server cannot start: these settings are not valid:" + string.Concat(problems.Select(p => "\n  " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    /// <summary>
    /// Checks every options class registered with ValidateOnStart now, all at once: the host would otherwise stop at
    /// the first class it found wrong, and a class read while the server is built would be checked alone.
    /// </summary>
    public static void ThrowIfAny(IServiceProvider services)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
        }
        catch (OptionsValidationException invalid)
        {
            throw new InvalidSettingsException([.. invalid.Failures]);
        }
        catch (AggregateException invalid) when (invalid.InnerExceptions.All(e => e is OptionsValidationException))
        {
            throw new InvalidSettingsException([.. invalid.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)]);
        }
        catch (InvalidOperationException unconvertible) when (unconvertible.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
        {
            // The binder's own words name the setting and the type it wants (a word where a number or a duration goes).
            throw new InvalidSettingsException([unconvertible.Message]);
        }
    }
}
