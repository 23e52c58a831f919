using System.Diagnostics;
using System.Text;

namespace Nerva.Diagnostics;

/// <summary>
/// An in-process timer for finding where a training step spends its time: while enabled, every
/// layer's forward call and every op's backward is timed and counted. Forward times are inclusive
/// (a model's line contains its layers'). Costs one flag check per call when off.
/// </summary>
/// <example><code>
/// Profiler.Enabled = true;
/// model.Fit(x, y, epochs: 1);
/// Console.WriteLine(Profiler.Report());
/// </code></example>
public static class Profiler
{
    private static readonly Dictionary<string, (long Calls, long Ticks)> totals = [];

    /// <summary>Whether calls are being timed (off by default).</summary>
    public static bool Enabled { get; set; }

    /// <summary>Forgets what was timed so far.</summary>
    public static void Reset()
    {
        lock (totals) totals.Clear();
    }

    /// <summary>A start time to pass to <see cref="Stop"/>, or 0 when the profiler is off.</summary>
    internal static long Start() => Enabled ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Adds the time since <paramref name="start"/> to the entry <paramref name="name"/> + <paramref name="suffix"/>.</summary>
    /// <remarks>The two parts are joined only when timing, so a disabled profiler allocates nothing.</remarks>
    internal static void Stop(long start, string name, string suffix)
    {
        if (start == 0) return;
        long elapsed = Stopwatch.GetTimestamp() - start;
        name += suffix;
        lock (totals)
        {
            var (calls, ticks) = totals.GetValueOrDefault(name);
            totals[name] = (calls + 1, ticks + elapsed);
        }
    }

    /// <summary>One line per entry, slowest first: total milliseconds, calls and microseconds per call.</summary>
    public static string Report()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{"entry",-36} {"total ms",10} {"calls",8} {"µs/call",10}");
        lock (totals)
        {
            foreach (var (name, (calls, ticks)) in totals.OrderByDescending(e => e.Value.Ticks))
            {
                double ms = ticks * 1000.0 / Stopwatch.Frequency;
                sb.AppendLine($"{name,-36} {ms,10:F1} {calls,8} {ms * 1000 / calls,10:F1}");
            }
        }
        return sb.ToString();
    }
}
