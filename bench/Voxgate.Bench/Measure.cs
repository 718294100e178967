using System.Diagnostics;

namespace Voxgate.Bench;

/// <summary>Timing helpers: medians of repeated runs, after a warm-up, with candidates interleaved against baselines.</summary>
public static class Measure
{
    public static double Median(IEnumerable<double> values)
    {
        double[] sorted = [.. values.Order()];
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static async Task<double> SecondsAsync(Func<Task> action)
    {
        long start = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>
    /// Runs each action once to warm up, then <paramref name="runs"/> rounds in which every action runs once, in a
    /// rotating order, so slow phases of a noisy machine hit all of them alike. Returns the median seconds of each.
    /// </summary>
    public static async Task<double[]> InterleavedMediansAsync(int runs, params Func<Task>[] actions)
    {
        foreach (Func<Task> action in actions)
        {
            await action();
        }
        var samples = actions.Select(_ => new List<double>()).ToArray();
        for (int round = 0; round < runs; round++)
        {
            for (int i = 0; i < actions.Length; i++)
            {
                int index = (i + round) % actions.Length;
                samples[index].Add(await SecondsAsync(actions[index]));
            }
        }
        return [.. samples.Select(Median)];
    }
}
