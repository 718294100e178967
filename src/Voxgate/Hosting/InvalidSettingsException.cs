namespace Voxgate.Hosting;

/// <summary>
/// Settings the server refuses to start with, every one of them (<see cref="Speech.Settings.SettingsValidation"/>):
/// <c>voxgate serve</c> and the other commands print them and exit rather than failing where one is first read.
/// </summary>
public sealed class InvalidSettingsException(IReadOnlyList<string> problems)
    : Exception("Voxgate cannot start: these settings are not valid:" + string.Concat(problems.Select(p => "\n  " + p)))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    /// <summary>Checks every options class now, all at once (<see cref="Speech.Settings.SettingsValidation.ProblemsOfAll"/>).</summary>
    public static void ThrowIfAny(IServiceProvider services)
    {
        if (Speech.Settings.SettingsValidation.ProblemsOfAll(services) is { Count: > 0 } problems)
        {
            throw new InvalidSettingsException(problems);
        }
    }
}
