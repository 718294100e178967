namespace Voxgate.Cli;

/// <summary>A one-line progress bar on stderr, drawn only when stderr is a terminal.</summary>
/// <param name="format">How to print the counts (sentences as they are; bytes in MiB).</param>
public sealed class ProgressBar(string label, long total, Func<long, string>? format = null)
{
    private const int Width = 30;
    private readonly bool _visible = !Console.IsErrorRedirected && total > 1;
    private readonly Func<long, string> _format = format ?? (count => count.ToString(System.Globalization.CultureInfo.InvariantCulture));
    private int _drawnFilled = -1;

    /// <summary>False when nothing is drawn: stderr is not a terminal, or there is at most one thing to count.</summary>
    public bool Visible => _visible;

    public static string Mebibytes(long bytes) => $"{bytes / 1048576.0:0.0} MiB";

    public void Report(long done)
    {
        if (!_visible)
        {
            return;
        }
        int filled = (int)(Width * done / total);
        if (filled == _drawnFilled && done != total)
        {
            return;
        }
        _drawnFilled = filled;
        Console.Error.Write($"\r{label} [{new string('#', filled)}{new string('.', Width - filled)}] {100L * done / total,3}% {_format(done)}/{_format(total)}");
        if (done >= total)
        {
            Console.Error.WriteLine();
        }
    }
}
