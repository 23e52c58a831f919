using System.Diagnostics;

namespace Nerva.Benchmarks;

/// <summary>
/// One contender of a user-loop row: what it runs, and what its timed calls cost in time (a sample
/// per batch of calls, seconds per step), in managed allocation and in garbage collections.
/// </summary>
/// <param name="call">One call: an epoch, a training step, an op.</param>
/// <param name="stepsPerCall">The steps one call makes (an epoch's batches), so figures come out per step.</param>
internal sealed class Contender(Action call, double stepsPerCall = 1)
{
    public Action Call { get; } = call;
    public double StepsPerCall { get; } = stepsPerCall;

    /// <summary>Seconds per step, one sample per batch of calls.</summary>
    public List<double> Samples { get; } = [];

    /// <summary>Timed seconds and steps so far.</summary>
    public double Spent { get; set; }
    public double Steps { get; set; }

    /// <summary>Managed bytes allocated during the timed calls: by the timing thread (GC.GetAllocatedBytesForCurrentThread) and by the whole process.</summary>
    public long ThreadBytes { get; set; }
    public long ProcessBytes { get; set; }

    /// <summary>Collections of each generation during the timed calls (gen1 counts include gen2 ones, as GC.CollectionCount does).</summary>
    public int[] Collections { get; } = new int[3];

    public double Median => Measure.Median(Samples);
    public double ThreadBytesPerStep => ThreadBytes / Steps;
    public double ProcessBytesPerStep => ProcessBytes / Steps;

    /// <summary>"12.3 KiB/step; GCs 4/1/0 in 2814 steps" (or per call, for ops).</summary>
    public string Allocation(string unit = "step") =>
        $"{Bytes(ThreadBytesPerStep)}/{unit}; GCs {Collections[0]}/{Collections[1]}/{Collections[2]} in {Steps:F0} {unit}s";

    private static string Bytes(double bytes) => bytes < 1024 ? $"{bytes:F0} B" : Measure.Bytes(bytes);
}

/// <summary>
/// Alternating timing for user loops, as <see cref="Measure.Alternating(double, int, double, Action[])"/>
/// but with long samples: a loop that allocates pays in collections, which come every so many calls,
/// so a sample spans enough calls (≥ <c>sampleSeconds</c>) to include its share of them, where a
/// median of single calls would leave them out. Allocation and collections are counted over the
/// timed calls only.
/// </summary>
internal static class UserLoopTiming
{
    /// <summary>
    /// Warms each contender up for <paramref name="warmUpSeconds"/> (at least one call), then visits them in turn,
    /// each visit a slice of ≥ <paramref name="sliceSeconds"/> (at least one sample), until each has been timed for
    /// <paramref name="seconds"/> and visited <paramref name="minRounds"/> times.
    /// </summary>
    public static void Alternate(Contender[] contenders, double seconds, double sliceSeconds, int minRounds = 1,
        double warmUpSeconds = 1.0, double sampleSeconds = 0.1)
    {
        var batch = new int[contenders.Length];
        var perCall = new double[contenders.Length];
        for (int c = 0; c < contenders.Length; c++)
        {
            long warmUp = Stopwatch.GetTimestamp();
            do
            {
                long start = Stopwatch.GetTimestamp();
                contenders[c].Call();
                perCall[c] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            } while (Stopwatch.GetElapsedTime(warmUp).TotalSeconds < warmUpSeconds);
            batch[c] = Math.Max(1, (int)Math.Ceiling(sampleSeconds / perCall[c]));
        }
        for (int round = 0; round < minRounds || contenders.Any(c => c.Spent < seconds); round++)
        {
            for (int c = 0; c < contenders.Length; c++)
            {
                var who = contenders[c];
                // As Measure.Alternating: let the other library's spinning worker threads settle, and
                // wake this one's with an untimed call (skipped where one call is a whole slice).
                Thread.Sleep(20);
                if (perCall[c] < sliceSeconds) who.Call();
                var collections = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
                long threadBytes = GC.GetAllocatedBytesForCurrentThread();
                long processBytes = GC.GetTotalAllocatedBytes(precise: true);
                double spent = 0;
                do
                {
                    long start = Stopwatch.GetTimestamp();
                    for (int i = 0; i < batch[c]; i++) who.Call();
                    double elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
                    who.Samples.Add(elapsed / (batch[c] * who.StepsPerCall));
                    who.Steps += batch[c] * who.StepsPerCall;
                    spent += elapsed;
                } while (spent < sliceSeconds);
                who.ProcessBytes += GC.GetTotalAllocatedBytes(precise: true) - processBytes;
                who.ThreadBytes += GC.GetAllocatedBytesForCurrentThread() - threadBytes;
                for (int g = 0; g < 3; g++) who.Collections[g] += GC.CollectionCount(g) - collections[g];
                who.Spent += spent;
            }
        }
    }
}
