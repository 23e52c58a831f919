using System.Diagnostics;

namespace Nerva.Kernels;

/// <summary>
/// A small pool of dedicated threads for splitting one product across cores, built for low
/// hand-off latency: Parallel.For costs ~17 µs per call on a 2-core VM (waking a sleeping pool
/// thread), more than a whole 128³ product takes. Workers spin for a short window after each job,
/// so the back-to-back products of a training step start in well under a microsecond, then sleep.
/// </summary>
/// <remarks>
/// One job at a time: a caller that finds the pool busy (another thread's product, or a product
/// started from inside a job) runs its product alone instead of waiting, so the pool never
/// oversubscribes the cores and cannot deadlock.
/// </remarks>
internal static class GemmWorkers
{
    /// <summary>How long an idle worker keeps spinning for the next job before it sleeps.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000; // 50 µs

    private static readonly object Gate = new();
    private static readonly int WorkerCount = Math.Max(0, Environment.ProcessorCount - 1);
    private static int _busy, _started, _sleeping;
    private static long _generation;
    private static Job? _current;

    /// <summary>Total threads a job can use: the caller plus the workers.</summary>
    public static int Threads => WorkerCount + 1;

    /// <summary>
    /// Runs body(0..parts-1) across the caller and the workers and returns true once all are done;
    /// returns false without running anything when the pool is busy.
    /// </summary>
    public static bool TryRun(int parts, Action<int> body)
    {
        if (WorkerCount == 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
        try
        {
            EnsureStarted();
            var job = new Job(body, parts);
            Volatile.Write(ref _current, job);
            Interlocked.Increment(ref _generation);
            if (Volatile.Read(ref _sleeping) > 0)
                lock (Gate) Monitor.PulseAll(Gate);
            job.RunParts();
            var spinner = new SpinWait();
            while (Volatile.Read(ref job.Remaining) > 0) spinner.SpinOnce(sleep1Threshold: -1);
            Volatile.Write(ref _current, null); // the body's pointers die with the caller's fixed scope
            if (job.Failure is { } failure) throw new AggregateException(failure);
            return true;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>
    /// One published job. Each TryRun makes a new one, so a worker that wakes late and holds a
    /// finished job finds no part left in it and cannot run a stale body on a newer job's parts.
    /// </summary>
    private sealed class Job(Action<int> body, int parts)
    {
        private readonly int _parts = parts;
        public int Next;
        public int Remaining = parts;
        public Exception? Failure;

        /// <summary>Takes parts until none are left; shared by the caller and the workers.</summary>
        public void RunParts()
        {
            int part;
            while ((part = Interlocked.Increment(ref Next) - 1) < _parts)
            {
                try
                {
                    body(part);
                }
                catch (Exception e)
                {
                    Failure = e;
                }
                Interlocked.Decrement(ref Remaining);
            }
        }
    }

    private static void EnsureStarted()
    {
        if (Volatile.Read(ref _started) != 0) return;
        // Workers count jobs from the generation before the first one: a worker that starts after
        // that job is published must still see it as new (a team job waits for every part).
        long first = Volatile.Read(ref _generation);
        for (int i = 0; i < WorkerCount; i++)
            new Thread(() => WorkerLoop(first)) { IsBackground = true, Name = $"Nerva GEMM worker {i + 1}" }.Start();
        Volatile.Write(ref _started, 1);
    }

    private static void WorkerLoop(long seen)
    {
        while (true)
        {
            long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
            while (Volatile.Read(ref _generation) == seen && Stopwatch.GetTimestamp() < spinUntil)
                Thread.SpinWait(20);
            if (Volatile.Read(ref _generation) == seen)
            {
                lock (Gate)
                {
                    // Counted before the re-check, so a publisher either sees a sleeper and pulses,
                    // or has already bumped the generation this check sees.
                    Interlocked.Increment(ref _sleeping);
                    while (Volatile.Read(ref _generation) == seen) Monitor.Wait(Gate);
                    Interlocked.Decrement(ref _sleeping);
                }
            }
            seen = Volatile.Read(ref _generation);
            // The job may be finished already (the caller took every part); then none is left.
            Volatile.Read(ref _current)?.RunParts();
        }
    }
}
