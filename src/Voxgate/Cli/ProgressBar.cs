namespace Voxgate.Cli;

/// <summary>A one-line progress bar on stderr, drawn only when stderr is a terminal.</summary>
public sealed class ProgressBar(string label, int total)
{
    private const int Width = 30;
    private readonly bool _visible = !Console.IsErrorRedirected && total > 1;
    private int _drawnFilled = -1;

    public void Report(int done)
    {
        if (!_visible)
        {
            return;
        }
        int filled = (int)((long)Width * done / total);
        if (filled == _drawnFilled && done != total)
        {
            return;
        }
        _drawnFilled = filled;
        Console.Error.Write($"\r{label} [{new string('#', filled)}{new string('.', Width - filled)}] {100L * done / total,3}% {done}/{total}");
        if (done >= total)
        {
            Console.Error.WriteLine();
        }
    }
}
