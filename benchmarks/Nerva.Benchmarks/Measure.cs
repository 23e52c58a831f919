using System.Diagnostics;

namespace Nerva.Benchmarks;

/// <summary>Timing helpers: warm up, then run rounds that alternate the contenders.</summary>
internal static class Measure
{
    /// <summary>
    /// Times the contenders in alternating slices of about <paramref name="slice"/> seconds until
    /// each has been timed for <paramref name="seconds"/>; a sample is the mean of
    /// <paramref name="batch"/> calls. Returns each contender's median seconds per call.
    /// </summary>
    /// <remarks>
    /// Before each slice the process sleeps and makes one untimed call: both libraries leave
    /// worker threads spinning after a parallel region (libgomp's spin-wait, .NET's thread pool),
    /// and on a 2-core machine a spinner left by one library would steal a core from the other.
    /// </remarks>
    public static double[] Alternating(double seconds, int batch, params Action[] actions) =>
        Alternating(seconds, batch, 0.15, actions);

    public static double[] Alternating(double seconds, int batch, double slice, params Action[] actions)
    {
        var samples = actions.Select(_ => new List<double>()).ToArray();
        var spent = new double[actions.Length];
        foreach (var action in actions)
            for (int i = 0; i < 3 * batch; i++) action();
        while (spent.Min() < seconds)
        {
            for (int c = 0; c < actions.Length; c++)
            {
                Thread.Sleep(20);
                actions[c]();
                double sliceSpent = 0;
                do
                {
                    long start = Stopwatch.GetTimestamp();
                    for (int i = 0; i < batch; i++) actions[c]();
                    double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
                    samples[c].Add(elapsed / batch);
                    sliceSpent += elapsed;
                } while (sliceSpent < slice);
                spent[c] += sliceSpent;
            }
        }
        return samples.Select(Median).ToArray();
    }

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Formats seconds with a unit that keeps three significant digits readable.</summary>
    public static string Time(double seconds) =>
        seconds >= 1e-3 ? $"{seconds * 1e3:F2} ms" : seconds >= 1e-6 ? $"{seconds * 1e6:F2} µs" : $"{seconds * 1e9:F0} ns";
}
