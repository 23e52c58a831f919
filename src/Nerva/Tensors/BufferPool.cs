using System.Runtime.InteropServices;

namespace Nerva;

/// <summary>
/// The process-wide memory of large tensors. Every op takes its output and scratch arrays from here,
/// in Fit as in a user's own loop, and an array comes back when nothing can reach the tensor that
/// owns it any more — no Dispose, no scope, no runtime setting.
/// </summary>
/// <remarks>
/// <para>Why: on the VMs we run on, each fresh large array costs milliseconds (a large-object allocation
/// over budget triggers a blocking gen-2 collection and its pages fault in anew), so an eager API that
/// allocates every op output is many times slower than one that reuses memory (BENCHMARKS.md, "Memory").</para>
/// <para>How: the first tensor built over a lent array becomes its owner (tensors sharing the array, such
/// as views, keep that owner alive). The pool watches each owner through a weak handle. When a sweep is
/// due, the pool runs a gen-1 collection (a fraction of a millisecond: tensors are small objects that die
/// young, whatever the size of their arrays) and takes back every array whose owner is gone. Sweeps are spaced
/// by bytes lent and by time in multiples of their own measured cost, with rules for the end of a step
/// (<see cref="StepEnded"/>: an optimizer step, a Predict batch) and for requests within a step. Arrays of owners that lived long enough to reach gen 2 are found by an
/// occasional full collection, run when what is out on loan has grown by
/// <see cref="FullCollectionBudgetBytes"/> since the last one.</para>
/// <para>Scratch arrays that no tensor wraps are either handed back by their op with <see cref="Return"/>
/// or tied with <see cref="KeepWith"/> to the tensor whose backward reads them. An array left in neither
/// state for two sweeps is forgotten (the collector frees it as usual); <see cref="Orphaned"/> counts them.</para>
/// <para>Rule for code in this library: read a tensor's <c>Data</c> while the tensor itself is still
/// referenced (use the tensor after the last raw access, as ops do by recording their inputs); a raw
/// array whose tensor is unreachable may be lent again at the next request.</para>
/// <para>Arrays are kept by exact length (a tensor's size is its array's length). Free arrays unused for
/// <see cref="IdleSweepsBeforeRelease"/> sweeps, those beyond <see cref="MaxFreeBytes"/>, and all of them
/// when the machine runs short of memory, are released to the collector.</para>
/// </remarks>
internal static class BufferPool
{
    /// <summary>Shorter arrays are plain allocations: 16 KB, well under the large-object threshold.</summary>
    internal const int MinLength = 4096;

    /// <summary>When a sweep is due: at least this much lent since the last one, and this much time passed, in multiples of a sweep's cost.</summary>
    private readonly record struct SweepRule(long MinBytes, int CostRatio);

    /// <summary>
    /// At the end of a step (<see cref="StepEnded"/>), or when a request finds no free array: sweeps take at
    /// most ~10% of the time, and a small step reuses a few warm megabytes instead of cycling through more.
    /// </summary>
    private static readonly SweepRule AtStepEnd = new(4L << 20, 10);

    /// <summary>
    /// Within a step (or a loop of ops with no step): rare, because mid-step an autograd graph keeps most of
    /// what was lent alive, so a sweep finds little and carries the step's tensors towards gen 2. (Sweeping
    /// every few ops of a loop of elementwise ops, to reuse warm arrays, was measured: no faster.)
    /// </summary>
    private static readonly SweepRule WithinStep = new(4L << 20, 100);

    /// <summary>Lent since the last sweep, beyond which a request always sweeps (bounds memory).</summary>
    internal const long MaxSweepBytes = 32L << 20;


    /// <summary>
    /// Growth of the loans since the last full collection that triggers the next one (or half the loans
    /// then, if more): tensors alive across two sweeps reach gen 2, where only a full collection sees
    /// them die (a CNN's activations live through a step, which spans several sweeps).
    /// </summary>
    private const long FullCollectionBudgetBytes = 32L << 20;

    /// <summary>Free arrays not lent again within this many sweeps go back to the collector.</summary>
    internal const int IdleSweepsBeforeRelease = 16;

    /// <summary>
    /// The most the pool keeps free, or the recent peak of its loans if more (a step needs its arrays back
    /// every step); beyond it the least recently used arrays are released.
    /// </summary>
    internal const long MaxFreeBytes = 32L << 20;

    /// <summary>Tests set this to fill reclaimed arrays with NaN (ints with -1), so a read after reuse shows.</summary>
    internal static bool PoisonReturned;

    /// <summary>Tests: a thread with this set sweeps at every request, so a lifetime error shows at once.</summary>
    [ThreadStatic] internal static bool SweepAtEveryRequest;

    /// <summary>Tests: a thread with this set allocates plainly, for comparisons with the pooled path.</summary>
    [ThreadStatic] internal static bool Unpooled;

    private sealed class Slot(Array array, long key, long bytes)
    {
        public readonly Array Array = array;
        public readonly long Key = key;
        public readonly long Bytes = bytes;
        /// <summary>Weak: the tensor whose death frees the array; unset while the array is free or unclaimed.</summary>
        public GCHandle Owner = GCHandle.Alloc(null, GCHandleType.Weak);
        public bool Claimed;
        /// <summary>Position in the lent list, or -1 when free.</summary>
        public int LentIndex = -1;
        /// <summary>Sweeps an unclaimed loan has survived; the sweep count when a free array was last returned.</summary>
        public long Mark;
        /// <summary>When it was last lent: the most recently used arrays (likeliest still in cache) are lent first.</summary>
        public long LentAt;
    }

    private static readonly Lock gate = new();
    private static readonly Dictionary<Array, Slot> slots = new(ReferenceEqualityComparer.Instance);
    private static readonly Dictionary<long, List<Slot>> free = [];
    private static readonly List<Slot> lent = [];
    private static long lentSinceSweep, lentBytes, freeBytes, sweeps, lentAfterFull;
    private static long orphaned, lifetimeErrors, allocatedBytes, loans;
    private static long idlePasses, recentPeakLent, lastSweepEnd, sweepTicks = System.Diagnostics.Stopwatch.Frequency / 10_000;
    private static readonly List<Slot> reclaimed = [];

    /// <summary>Sweeps run so far (each one induced collection, sometimes two).</summary>
    internal static long Sweeps => Volatile.Read(ref sweeps);

    /// <summary>Unclaimed arrays forgotten so far: an op that neither returned nor tied a scratch array.</summary>
    internal static long Orphaned => Volatile.Read(ref orphaned);

    /// <summary>Tensors built over an array that was free, or whose owner had died: must stay 0.</summary>
    internal static long LifetimeErrors => Volatile.Read(ref lifetimeErrors);

    /// <summary>Bytes of arrays the pool allocated so far (not counting reuse).</summary>
    internal static long AllocatedBytes => Volatile.Read(ref allocatedBytes);

    /// <summary>What the pool may keep free now: <see cref="MaxFreeBytes"/>, or the recent peak of its loans if more.</summary>
    internal static long FreeLimit
    {
        get { lock (gate) return Math.Max(MaxFreeBytes, recentPeakLent); }
    }

    /// <summary>Bytes currently out on loan and free in the pool.</summary>
    internal static (long Lent, long Free) Held()
    {
        lock (gate) return (lentBytes, freeBytes);
    }

    /// <summary>An array of <paramref name="length"/> floats whose contents are undefined (the caller overwrites all of it).</summary>
    internal static float[] Floats(int length) => Rent<float>(length);

    /// <summary>An array of <paramref name="length"/> zeros.</summary>
    internal static float[] ZeroedFloats(int length)
    {
        var array = Rent<float>(length);
        if (length >= MinLength) Array.Clear(array);
        return array;
    }

    /// <summary>An array of <paramref name="length"/> ints whose contents are undefined.</summary>
    internal static int[] Ints(int length) => Rent<int>(length);

    private static T[] Rent<T>(int length) where T : unmanaged
    {
        if (length < MinLength || Unpooled) return new T[length];
        long key = 2L * length + (typeof(T) == typeof(int) ? 1 : 0);
        long bytes = (long)length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        lock (gate)
        {
            // Due by time even when free arrays remain: the ones just reclaimed are warm in the cache.
            if (SweepAtEveryRequest || SweepIsDue(WithinStep)) Sweep();
            var slot = Pop(key);
            if (slot is null && SweepIsDue(AtStepEnd))
            {
                // Sooner rather than allocate: a fresh large array costs more than a sweep.
                Sweep();
                slot = Pop(key);
            }
            if (slot is null)
            {
                slot = new Slot(GC.AllocateUninitializedArray<T>(length), key, bytes);
                slots.Add(slot.Array, slot);
                allocatedBytes += bytes;
            }
            slot.Claimed = false;
            slot.Mark = 0;
            slot.LentAt = ++loans;
            slot.LentIndex = lent.Count;
            lent.Add(slot);
            lentBytes += bytes;
            lentSinceSweep += bytes;
            return (T[])slot.Array;
        }
    }

    /// <summary>
    /// Called for every tensor built over an array: the first tensor over a lent array becomes its owner;
    /// a later one (a view, a detached copy) gets that owner back, to keep it alive as long as itself.
    /// </summary>
    internal static Tensor? Claim(Array data, Tensor tensor)
    {
        lock (gate)
        {
            if (!slots.TryGetValue(data, out var slot)) return null;
            if (slot.LentIndex < 0)
            {
                lifetimeErrors++;
                return null;
            }
            if (!slot.Claimed)
            {
                slot.Owner.Target = tensor;
                slot.Claimed = true;
                return null;
            }
            if (slot.Owner.Target is Tensor owner) return owner;
            // The owner died while something still held its raw array: a lifetime error in an op.
            lifetimeErrors++;
            slot.Owner.Target = tensor;
            return null;
        }
    }

    /// <summary>Ties scratch arrays that <paramref name="owner"/>'s backward reads to that tensor's lifetime.</summary>
    internal static void KeepWith(Tensor owner, params ReadOnlySpan<Array?> arrays)
    {
        lock (gate)
        {
            foreach (var array in arrays)
            {
                if (array is null || !slots.TryGetValue(array, out var slot)) continue;
                if (slot.LentIndex < 0 || slot.Claimed)
                {
                    // Free, or already owned by a tensor: it cannot follow a second owner.
                    lifetimeErrors++;
                    continue;
                }
                slot.Owner.Target = owner;
                slot.Claimed = true;
            }
        }
    }

    /// <summary>Hands back scratch arrays no one else holds (an op's temporaries).</summary>
    internal static void Return(params ReadOnlySpan<Array?> arrays)
    {
        lock (gate)
        {
            foreach (var array in arrays)
            {
                if (array is null || !slots.TryGetValue(array, out var slot) || slot.LentIndex < 0) continue;
                if (slot.Claimed)
                {
                    lifetimeErrors++; // a tensor owns it; it comes back when that tensor dies
                    continue;
                }
                Unlend(slot);
                Free(slot);
            }
        }
    }

    /// <summary>
    /// A hint that a step just ended (an optimizer step, a Predict or Evaluate batch): its tensors are
    /// unreachable and no op is half done, the best moment for a sweep. One sweep per step at this point
    /// also keeps a step's tensors from living through two sweeps into gen 2, where only a full
    /// collection would see them die.
    /// </summary>
    internal static void StepEnded()
    {
        if (Unpooled) return;
        lock (gate)
            if (SweepIsDue(AtStepEnd)) Sweep();
    }

    private static bool SweepIsDue(SweepRule rule) =>
        lentSinceSweep >= MaxSweepBytes || lentSinceSweep >= rule.MinBytes
            && System.Diagnostics.Stopwatch.GetTimestamp() - lastSweepEnd >= rule.CostRatio * sweepTicks;

    private static Slot? Pop(long key)
    {
        if (!free.TryGetValue(key, out var list) || list.Count == 0) return null;
        var slot = list[^1];
        list.RemoveAt(list.Count - 1);
        freeBytes -= slot.Bytes;
        return slot;
    }

    private static void Unlend(Slot slot)
    {
        int i = slot.LentIndex;
        var last = lent[^1];
        lent[i] = last;
        last.LentIndex = i;
        lent.RemoveAt(lent.Count - 1);
        slot.LentIndex = -1;
        slot.Owner.Target = null;
        slot.Claimed = false;
        lentBytes -= slot.Bytes;
    }

    private static void Free(Slot slot)
    {
        if (PoisonReturned)
        {
            if (slot.Array is float[] floats) Array.Fill(floats, float.NaN);
            else Array.Fill((int[])slot.Array, -1);
        }
        if (!free.TryGetValue(slot.Key, out var list)) free[slot.Key] = list = [];
        slot.Mark = sweeps;
        list.Add(slot);
        freeBytes += slot.Bytes;
    }

    /// <summary>Forgets an array: the collector frees it once nothing references it.</summary>
    private static void Release(Slot slot)
    {
        slots.Remove(slot.Array);
        slot.Owner.Free();
    }

    /// <summary>Takes back the arrays of unreachable owners (under the lock).</summary>
    private static void Sweep()
    {
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        // Decays by half over ~16 sweeps.
        recentPeakLent = Math.Max(lentBytes, recentPeakLent - recentPeakLent / 24);
        Collect(generation: 1);
        if (lentBytes - lentAfterFull > Math.Max(FullCollectionBudgetBytes, lentAfterFull / 2))
        {
            // Owners that reached gen 2 before dying are invisible to a gen-1 collection.
            Collect(generation: 2);
            lentAfterFull = lentBytes;
        }
        ReleaseIdle();
        lentSinceSweep = 0;
        lastSweepEnd = System.Diagnostics.Stopwatch.GetTimestamp();
        // A moving average of what a sweep costs in this process.
        sweepTicks += (lastSweepEnd - start - sweepTicks) / 4;
    }

    private static void Collect(int generation)
    {
        GC.Collect(generation, GCCollectionMode.Forced, blocking: true, compacting: false);
        sweeps++;
        for (int i = lent.Count - 1; i >= 0; i--)
        {
            var slot = lent[i];
            if (slot.Claimed)
            {
                if (slot.Owner.Target is not null) continue;
                Unlend(slot);
                reclaimed.Add(slot);
            }
            else if (++slot.Mark > 2)
            {
                // Neither owned nor returned by its op for two sweeps: let the collector have it.
                Unlend(slot);
                Release(slot);
                orphaned++;
            }
        }
        // Oldest first, so that the last lent, still warm in the cache, are on top of the free lists.
        reclaimed.Sort(static (a, b) => a.LentAt.CompareTo(b.LentAt));
        foreach (var slot in reclaimed) Free(slot);
        reclaimed.Clear();
    }

    /// <summary>Releases free arrays that went unused, the oldest beyond the cap, and all of them under memory pressure.</summary>
    private static void ReleaseIdle()
    {
        // Asking the runtime allocates, so only every few sweeps.
        bool pressure = false;
        if (++idlePasses % 16 == 0)
        {
            var memory = GC.GetGCMemoryInfo();
            pressure = memory.MemoryLoadBytes >= memory.HighMemoryLoadThresholdBytes;
        }
        long oldestKept = sweeps - IdleSweepsBeforeRelease;
        List<long>? emptied = null;
        foreach (var (key, list) in free)
        {
            int kept = 0;
            for (int i = 0; i < list.Count; i++)
            {
                var slot = list[i];
                if (pressure || slot.Mark < oldestKept)
                {
                    freeBytes -= slot.Bytes;
                    Release(slot);
                }
                else list[kept++] = slot;
            }
            list.RemoveRange(kept, list.Count - kept);
            if (kept == 0) (emptied ??= []).Add(key);
        }
        // A length not seen for a while (Predict on many batch sizes) leaves no trace.
        if (emptied is not null) foreach (var key in emptied) free.Remove(key);
        while (freeBytes > Math.Max(MaxFreeBytes, recentPeakLent))
        {
            // The least recently returned array of all lengths.
            List<Slot>? oldestList = null;
            foreach (var list in free.Values)
                if (list.Count > 0 && (oldestList is null || list[0].Mark < oldestList[0].Mark)) oldestList = list;
            if (oldestList is null) break;
            var slot = oldestList[0];
            oldestList.RemoveAt(0);
            freeBytes -= slot.Bytes;
            Release(slot);
        }
    }
}
