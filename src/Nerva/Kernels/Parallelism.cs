namespace Nerva.Kernels;

/// <summary>
/// Splits a range of work across the cores, but only when it is large enough to pay for the
/// hand-off (a few microseconds); small ops run on the calling thread.
/// </summary>
public static class Parallelism
{
    /// <summary>How many threads kernels may use; defaults to the number of cores.</summary>
    public static int MaxThreads { get; set; } = Environment.ProcessorCount;

    /// <summary>Elements below which an elementwise op stays on one thread (memory-bound work gains little below this).</summary>
    public const int ElementwiseGrain = 1 << 16;

    /// <summary>Runs body(start, end) over [0, count) in at most <see cref="MaxThreads"/> contiguous chunks of at least <paramref name="grain"/>.</summary>
    /// <remarks>
    /// On the GEMM worker pool (a hand-off of ~1 µs; Parallel.For's ~17 µs is the cost of a whole
    /// 64k-element op); when that pool is busy the chunks run one after another on this thread.
    /// </remarks>
    public static void For(int count, int grain, Action<int, int> body)
    {
        int chunks = Math.Min(Math.Min(MaxThreads, GemmWorkers.Threads), count / Math.Max(grain, 1));
        if (chunks <= 1)
        {
            body(0, count);
            return;
        }
        void Chunk(int c)
        {
            // Chunk edges rounded to 16 floats (a cache line) so threads never share one.
            int start = (int)((long)count * c / chunks) & ~15;
            int end = c == chunks - 1 ? count : (int)((long)count * (c + 1) / chunks) & ~15;
            body(start, end);
        }
        if (GemmWorkers.TryRun(chunks, Chunk)) return;
        for (int c = 0; c < chunks; c++) Chunk(c);
    }
}
