namespace Nerva;

/// <summary>
/// Reuses the large arrays of a training or inference step. Fit, Evaluate and Predict run each step
/// inside a scope of their model's pool: ops then take their output and gradient arrays from the
/// pool, and the scope takes all of them back when the step ends. A step needs the same array
/// lengths every time, so after the first step nothing large is allocated. This matters in .NET:
/// arrays above 85 KB go to the large-object heap, and reclaiming a CNN step's ~40 MB of them
/// costs a gen-2 collection every few steps (measured: half of the step time).
/// </summary>
/// <remarks>
/// Tensors computed inside a step must not be kept after it; the model's weights, their gradients
/// and the optimizer's state are not from the pool. Arrays shorter than <see cref="MinLength"/>
/// are plain allocations (cheap in gen 0). One pool serves one step at a time; a step that finds
/// it busy runs without it.
/// </remarks>
internal sealed class BufferPool
{
    /// <summary>Shorter arrays are not pooled: 16 KB, well under the large-object threshold.</summary>
    internal const int MinLength = 4096;

    /// <summary>The most the pool keeps between steps; arrays beyond it are left to the GC.</summary>
    private const long MaxKeptBytes = 1L << 30;

    /// <summary>Tests set this to fill returned arrays with NaN, so a tensor read after its step shows.</summary>
    internal static bool PoisonReturned;

    [ThreadStatic] private static BufferPool? active;

    private readonly Dictionary<int, Stack<float[]>> freeFloats = [];
    private readonly Dictionary<int, Stack<int[]>> freeInts = [];
    private readonly List<float[]> lentFloats = [];
    private readonly List<int[]> lentInts = [];
    private long keptBytes;

    /// <summary>The managed id of the thread whose step holds the pool, or 0 when it is free.</summary>
    private int owner;

    /// <summary>
    /// Makes this pool serve the ops of the current thread until the scope is disposed. When the pool
    /// is already in a step, on this thread (a model's Predict called inside its own step) or on
    /// another (Predict from two threads at once), the new step runs unpooled instead: ending it must
    /// not hand back arrays the outer step is still using.
    /// </summary>
    public Scope Enter()
    {
        if (Interlocked.CompareExchange(ref owner, Environment.CurrentManagedThreadId, 0) != 0) return new Scope(null, active, unpooled: true);
        var previous = active;
        active = this;
        return new Scope(this, previous, unpooled: false);
    }

    /// <summary>An array of <paramref name="length"/> floats whose contents are undefined (the caller overwrites all of it).</summary>
    internal static float[] Floats(int length)
    {
        var pool = active;
        if (pool is null || length < MinLength) return new float[length];
        float[] array;
        if (pool.freeFloats.TryGetValue(length, out var stack) && stack.Count > 0)
        {
            array = stack.Pop();
            pool.keptBytes -= 4L * length;
        }
        else array = GC.AllocateUninitializedArray<float>(length);
        pool.lentFloats.Add(array);
        return array;
    }

    /// <summary>An array of <paramref name="length"/> zeros.</summary>
    internal static float[] ZeroedFloats(int length)
    {
        var array = Floats(length);
        if (active is not null && length >= MinLength) Array.Clear(array);
        return array;
    }

    /// <summary>An array of <paramref name="length"/> ints whose contents are undefined.</summary>
    internal static int[] Ints(int length)
    {
        var pool = active;
        if (pool is null || length < MinLength) return new int[length];
        int[] array;
        if (pool.freeInts.TryGetValue(length, out var stack) && stack.Count > 0)
        {
            array = stack.Pop();
            pool.keptBytes -= 4L * length;
        }
        else array = GC.AllocateUninitializedArray<int>(length);
        pool.lentInts.Add(array);
        return array;
    }

    private void TakeBack()
    {
        foreach (var array in lentFloats)
        {
            if (keptBytes + 4L * array.Length > MaxKeptBytes) continue;
            if (PoisonReturned) Array.Fill(array, float.NaN);
            if (!freeFloats.TryGetValue(array.Length, out var stack)) freeFloats[array.Length] = stack = new Stack<float[]>();
            stack.Push(array);
            keptBytes += 4L * array.Length;
        }
        foreach (var array in lentInts)
        {
            if (keptBytes + 4L * array.Length > MaxKeptBytes) continue;
            if (!freeInts.TryGetValue(array.Length, out var stack)) freeInts[array.Length] = stack = new Stack<int[]>();
            stack.Push(array);
            keptBytes += 4L * array.Length;
        }
        lentFloats.Clear();
        lentInts.Clear();
    }

    /// <summary>Ends a step: every array lent since <see cref="Enter"/> goes back to the pool.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly BufferPool? pool;
        private readonly BufferPool? previous;
        private readonly bool unpooled;

        internal Scope(BufferPool? pool, BufferPool? previous, bool unpooled)
        {
            this.pool = pool;
            this.previous = previous;
            this.unpooled = unpooled;
            // An unpooled step on this thread must not lend from an outer step's pool either.
            if (unpooled) active = null;
        }

        public void Dispose()
        {
            if (pool is not null)
            {
                pool.TakeBack();
                Volatile.Write(ref pool.owner, 0);
            }
            if (pool is not null || unpooled) active = previous;
        }
    }
}
