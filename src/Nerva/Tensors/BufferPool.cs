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
/// are plain allocations (cheap in gen 0). One pool serves one thread at a time.
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

    /// <summary>Makes this pool serve the ops of the current thread until the scope is disposed.</summary>
    public Scope Enter()
    {
        // Re-entering the active pool (a model's Predict called inside its own step) must not end the outer step early.
        if (active == this) return default;
        var previous = active;
        active = this;
        return new Scope(this, previous);
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

    /// <summary>
    /// Takes <paramref name="array"/> out of the current step, if it came from the pool, so it
    /// outlives the step (a layer's weight created during a step's lazy build).
    /// </summary>
    internal static void Keep(float[] array)
    {
        var pool = active;
        if (pool is null || array.Length < MinLength) return;
        int index = pool.lentFloats.LastIndexOf(array);
        if (index >= 0) pool.lentFloats.RemoveAt(index);
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
    public readonly struct Scope(BufferPool? pool, BufferPool? previous) : IDisposable
    {
        public void Dispose()
        {
            if (pool is null) return;
            pool.TakeBack();
            active = previous;
        }
    }
}
