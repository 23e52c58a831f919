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

    /// <summary>
    /// Times whole rounds (an epoch, a run of steps) that alternate the contenders, after untimed
    /// warm-up rounds; returns each contender's median seconds per round.
    /// </summary>
    /// <remarks>
    /// Warm-up lasts at least a second per contender, not one round: the tiered JIT promotes hot
    /// methods only after ~100 ms without new compilations, and a 15 ms round (Iris) timed right
    /// after one warm-up round measured 2–4× slow.
    /// </remarks>
    public static double[] Rounds(int rounds, params Action[] actions)
    {
        foreach (var action in actions)
        {
            long warmUp = Stopwatch.GetTimestamp();
            do action(); while (Stopwatch.GetElapsedTime(warmUp).TotalSeconds < 1.0);
        }
        var samples = actions.Select(_ => new List<double>()).ToArray();
        for (int r = 0; r < rounds; r++)
            for (int c = 0; c < actions.Length; c++)
            {
                Thread.Sleep(20); // as in Alternating: let the other library's spinning threads settle
                long start = Stopwatch.GetTimestamp();
                actions[c]();
                samples[c].Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        return samples.Select(Median).ToArray();
    }

    /// <summary>Managed bytes the calling thread allocates per call of <paramref name="action"/>, after one warm-up call.</summary>
    public static double AllocatedPerCall(Action action, int calls = 20)
    {
        action();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++) action();
        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)calls;
    }

    /// <summary>
    /// Cores the whole process keeps busy while <paramref name="action"/> repeats for about
    /// <paramref name="seconds"/>: CPU time over wall time, so a thread limit that leaks shows above 1.
    /// </summary>
    public static double CoresUsed(Action action, double seconds)
    {
        action();
        Thread.Sleep(50); // spinners left by earlier work would count against this action
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        long start = Stopwatch.GetTimestamp();
        do action(); while (Stopwatch.GetElapsedTime(start).TotalSeconds < seconds);
        double wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / wall;
    }

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Formats seconds with a unit that keeps three significant digits readable.</summary>
    public static string Time(double seconds) =>
        seconds >= 1 ? $"{seconds:F2} s" : seconds >= 1e-3 ? $"{seconds * 1e3:F2} ms" : seconds >= 1e-6 ? $"{seconds * 1e6:F2} µs" : $"{seconds * 1e9:F0} ns";

    /// <summary>Formats a byte count in KiB, or MiB when large.</summary>
    public static string Bytes(double bytes) =>
        bytes >= 1 << 20 ? $"{bytes / (1 << 20):F1} MiB" : $"{bytes / 1024:F1} KiB";
}
