using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nerva.Kernels;

/// <summary>General matrix multiply on row-major, contiguous float32 spans.</summary>
/// <remarks>
/// The BLIS scheme (Van Zee &amp; van de Geijn, "BLIS: A Framework for Rapidly Instantiating BLAS
/// Functionality", 2015): loop over NC-wide column panels of B, KC-deep slices of k and MC-tall
/// row blocks of A; pack each B slice and A block into contiguous slivers; sweep a register-blocked
/// micro-kernel over the MR×NR tiles. Large products are split across cores by tiles of C, or, when
/// k is deep and C small, by slices of k. For a given thread count the result is the same bits on every
/// call; a depth split rounds differently from one thread (its partial sums are added at the end).
/// </remarks>
public static class Gemm
{
    /// <summary>
    /// C = op(A)·op(B), or C += op(A)·op(B) when <paramref name="accumulate"/>. op(A) is m×k, op(B) is k×n, C is m×n.
    /// A is stored m×k row-major, or k×m when <paramref name="transA"/> (so op(A) = Aᵀ); likewise B is k×n, or n×k when <paramref name="transB"/>.
    /// </summary>
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate = false)
        => Multiply(transA, transB, m, n, k, a, b, c, accumulate, GemmPath.Auto, maxThreads: 0);

    /// <summary>
    /// <see cref="Multiply(bool, bool, int, int, int, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, bool)"/>
    /// with the SIMD path and thread count forced, so tests reach every path on any machine.
    /// <paramref name="maxThreads"/> ≤ 0 means all cores.
    /// </summary>
    internal static unsafe void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate, GemmPath path, int maxThreads)
    {
        Validate(m, n, k, a.Length, b.Length, c.Length);
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) c[..(m * n)].Clear();
            return;
        }
        if (path == GemmPath.Auto) path = BestPath;
        int threads = ThreadCount(m, n, k, maxThreads);
        fixed (float* pa = a, pb = b, pc = c)
        {
            // op(A)(i, p) = A[i·rs + p·cs]: row-major A has rs = k, cs = 1; stored Aᵀ has rs = 1, cs = m.
            var job = new Job(
                pa, transA ? 1 : k, transA ? m : 1,
                pb, transB ? 1 : n, transB ? k : 1,
                pc, m, n, k, accumulate);
            Dispatch(job, path, threads);
        }
    }

    /// <summary>Runs a product on the micro-kernel for its path and width (the packed-B layout depends on the same choice).</summary>
    private static void Dispatch(in Job job, GemmPath path, int threads)
    {
        switch (path)
        {
            case GemmPath.Vector512 when job.N <= GemmKernel512Narrow.NR: Run<GemmKernel512Narrow>(job, threads); break;
            case GemmPath.Vector512: Run<GemmKernel512>(job, threads); break;
            case GemmPath.Vector256: Run<GemmKernel256>(job, threads); break;
            default: Run<GemmKernelScalar>(job, threads); break;
        }
    }

    /// <summary>The micro-kernel's tile width for a product of <paramref name="n"/> columns on <paramref name="path"/>.</summary>
    private static int TileWidth(GemmPath path, int n) => path switch
    {
        GemmPath.Vector512 when n <= GemmKernel512Narrow.NR => GemmKernel512Narrow.NR,
        GemmPath.Vector512 => GemmKernel512.NR,
        GemmPath.Vector256 => GemmKernel256.NR,
        _ => GemmKernelScalar.NR,
    };

    /// <summary>
    /// Packs op(B) (k×n; stored n×k when <paramref name="transB"/>) once, in the layout the micro-kernel
    /// reads, for many products against it: a recurrent layer multiplies every time step's state by
    /// the same kernel, and packing it per call (256 KB for a 128×512 kernel) cost as much as a third
    /// of each small product. Dispose the result to return its buffer.
    /// </summary>
    internal static unsafe PackedB PackB(bool transB, int n, int k, ReadOnlySpan<float> b)
    {
        Validate(1, n, k, k, b.Length, n);
        var path = BestPath;
        int nr = TileWidth(path, n), kc = Even(k, KC, 1), width = RoundUp(n, nr);
        var packed = PackedB.Rent(path, n, k, (long)width * k);
        fixed (float* pb = b)
        {
            int rsB = transB ? 1 : n, csB = transB ? k : 1;
            // Slice by slice of KC steps, each the full width: slice pc starts at pc·width (see Block).
            for (int pc = 0; pc < k; pc += kc)
                GemmPacking.Pack(pb + (long)pc * rsB, csB, rsB, n, Math.Min(kc, k - pc), nr, packed.Data + (long)pc * width);
        }
        return packed;
    }

    /// <summary>C = A·B (or C += A·B) with A m×k row-major and B packed by <see cref="PackB"/>; <paramref name="maxThreads"/> ≤ 0 means all cores.</summary>
    internal static unsafe void Multiply(int m, ReadOnlySpan<float> a, PackedB b, Span<float> c, bool accumulate, int maxThreads)
    {
        int n = b.N, k = b.K;
        Validate(m, n, k, a.Length, n * k, c.Length);
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) c[..(m * n)].Clear();
            return;
        }
        fixed (float* pa = a, pc = c)
        {
            var job = new Job(pa, k, 1, null, 0, 0, pc, m, n, k, accumulate, b.Data);
            Dispatch(job, b.Path, ThreadCount(m, n, k, maxThreads));
        }
    }

    /// <summary>
    /// B packed once (see <see cref="PackB"/>): pinned, 64-byte aligned, from a small pool like the
    /// product workspaces, so a packed operand per sequence allocates nothing after warm-up.
    /// </summary>
    internal sealed unsafe class PackedB : IDisposable
    {
        private static readonly PackedB?[] Pool = new PackedB?[4];
        private float[] array = [];

        private PackedB() { }

        public GemmPath Path { get; private set; }
        public int N { get; private set; }
        public int K { get; private set; }
        public float* Data { get; private set; }

        public static PackedB Rent(GemmPath path, int n, int k, long size)
        {
            PackedB? packed = null;
            for (int i = 0; i < Pool.Length && packed is null; i++)
                packed = Interlocked.Exchange(ref Pool[i], null);
            packed ??= new PackedB();
            if (packed.array.Length < size + 16) packed.Data = Workspace.Allocate((int)size, out packed.array);
            (packed.Path, packed.N, packed.K) = (path, n, k);
            return packed;
        }

        /// <summary>Returns the buffer to the pool; the operand must not be used afterwards.</summary>
        public void Dispose()
        {
            for (int i = 0; i < Pool.Length; i++)
                if (Interlocked.CompareExchange(ref Pool[i], this, null) is null) return;
        }
    }

    internal static void Validate(int m, int n, int k, int aLength, int bLength, int cLength)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"Gemm: expected non-negative sizes, got m={m}, n={n}, k={k}.");
        if ((long)m * k > aLength)
            throw new ArgumentException($"Gemm: expected A of at least {(long)m * k} elements (m={m}, k={k}), got {aLength}.");
        if ((long)k * n > bLength)
            throw new ArgumentException($"Gemm: expected B of at least {(long)k * n} elements (k={k}, n={n}), got {bLength}.");
        if ((long)m * n > cLength)
            throw new ArgumentException($"Gemm: expected C of at least {(long)m * n} elements (m={m}, n={n}), got {cLength}.");
    }

    /// <summary>The fastest micro-kernel this CPU runs.</summary>
    internal static GemmPath BestPath { get; } =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmPath.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? GemmPath.Vector256
        : GemmPath.Scalar;

    // Blocking, from the cache sizes: a KC×NR sliver of B (256·32·4 = 32 KiB) stays in L1 while
    // the MC×KC block of A (144·256·4 = 144 KiB) streams from L2 past it; each thread's KC×NC
    // panel of B sits in L2/L3. Zen 4/5 have 32/48 KiB L1d and 1 MiB L2 per core; on the 2-core
    // Zen 5 this was tuned on, KC 192–512, MC 96–336 and NC 384–2048 all measured within noise.
    internal const int KC = 256, MC = 144, NC = 2048;

    /// <summary>
    /// Below this many multiply-adds a product runs on the calling thread. Measured on 2 cores: a
    /// 96³ product (0.9 M) gains nothing from a second thread, 128³ (2.1 M) ~15%, 192³ ~45%;
    /// each thread also packs its own copy of the shared operand, which small products feel.
    /// </summary>
    internal const long ParallelThreshold = 1L << 20;

    private static int ThreadCount(int m, int n, int k, int maxThreads)
    {
        // 0 means the library-wide limit, so Parallelism.MaxThreads caps products as it caps every other kernel.
        int cores = Math.Min(maxThreads > 0 ? maxThreads : Parallelism.MaxThreads, GemmWorkers.Threads);
        long work = (long)m * n * k;
        if (cores <= 1 || work < ParallelThreshold) return 1;
        return (int)Math.Min(cores, work / (ParallelThreshold / 2));
    }

    /// <summary>One product: operand pointers, element strides and sizes.</summary>
    private readonly unsafe struct Job(float* a, int rsA, int csA, float* b, int rsB, int csB, float* c, int m, int n, int k, bool accumulate,
        float* packedB = null)
    {
        public readonly float* A = a, B = b, C = c;
        /// <summary>All of op(B) already packed (see PackB), or null to pack it per block.</summary>
        public readonly float* PackedB = packedB;
        public readonly int RsA = rsA, CsA = csA, RsB = rsB, CsB = csB, M = m, N = n, K = k;
        public readonly bool Accumulate = accumulate;
    }

    private static unsafe void Run<TKernel>(Job job, int threads) where TKernel : struct, IGemmMicroKernel
    {
        int mTiles = (job.M + TKernel.MR - 1) / TKernel.MR, nTiles = (job.N + TKernel.NR - 1) / TKernel.NR;
        threads = Math.Min(threads, mTiles * nTiles);
        if (threads <= 1)
        {
            Block<TKernel>(job, 0, job.M, 0, job.N);
            return;
        }
        if (job.PackedB == null && SplitDepthIsCheaper<TKernel>(job.M, job.N, job.K, threads))
        {
            SplitDepth<TKernel>(job, threads);
            return;
        }
        var (tm, tn) = Grid(mTiles, nTiles, threads);
        bool ran = GemmWorkers.TryRun(tm * tn, t =>
        {
            int ti = t / tn, tj = t % tn;
            int i0 = Math.Min(job.M, (int)((long)mTiles * ti / tm) * TKernel.MR);
            int i1 = Math.Min(job.M, (int)((long)mTiles * (ti + 1) / tm) * TKernel.MR);
            int j0 = Math.Min(job.N, (int)((long)nTiles * tj / tn) * TKernel.NR);
            int j1 = Math.Min(job.N, (int)((long)nTiles * (tj + 1) / tn) * TKernel.NR);
            if (i1 > i0 && j1 > j0) Block<TKernel>(job, i0, i1 - i0, j0, j1 - j0);
        });
        if (!ran) Block<TKernel>(job, 0, job.M, 0, job.N);
    }

    /// <summary>
    /// Splits C into a tm × tn grid of tile-aligned blocks, one per thread, each computed independently
    /// (its own packed copies of A and B: redundant packing buys a barrier-free schedule): the grid
    /// whose largest block is smallest.
    /// </summary>
    private static (int Tm, int Tn) Grid(int mTiles, int nTiles, int threads)
    {
        int tm = 1, tn = threads;
        long best = long.MaxValue;
        for (int rowsSplit = 1; rowsSplit <= threads; rowsSplit++)
        {
            if (threads % rowsSplit != 0 || rowsSplit > mTiles || threads / rowsSplit > nTiles) continue;
            long cost = (long)((mTiles + rowsSplit - 1) / rowsSplit) * ((nTiles + threads / rowsSplit - 1) / (threads / rowsSplit));
            if (cost < best) (best, tm, tn) = (cost, rowsSplit, threads / rowsSplit);
        }
        if (best == long.MaxValue) (tm, tn) = mTiles >= nTiles ? (Math.Min(threads, mTiles), 1) : (1, Math.Min(threads, nTiles));
        return (tm, tn);
    }

    /// <summary>
    /// Packing one float costs about as much as this many multiply-adds in the micro-kernel (Zen 4,
    /// one thread: a 128×128×784 product ran 62 µs slower than its 200k packed floats' worth of
    /// kernel time, 0.31 ns per float, when the kernel does ~57 multiply-adds per ns).
    /// </summary>
    private const double PackCost = 16;

    /// <summary>Smallest depth a thread takes in a depth split: shallower slices leave the kernel's k loop short.</summary>
    private const int MinSplitDepth = 128;

    /// <summary>
    /// Whether splitting k across the threads costs less than the grid of C (see Grid): in the grid every
    /// thread packs its rows of A over all of k and its columns of B, so when k is deep and C small (a
    /// Dense layer's forward product on a batch, k = 784 against a 128×128 C) packing dominates, and
    /// every thread reads the same operand. Split by depth, each packs a disjoint 1/t of A and B and the
    /// calling thread adds the partial products afterwards.
    /// </summary>
    internal static bool SplitDepthIsCheaper<TKernel>(int m, int n, int k, int threads) where TKernel : struct, IGemmMicroKernel
    {
        if (threads < 2 || k < threads * MinSplitDepth) return false;
        int mr = TKernel.MR, nr = TKernel.NR;
        int mTiles = (m + mr - 1) / mr, nTiles = (n + nr - 1) / nr;
        var (tm, tn) = Grid(mTiles, nTiles, threads);
        long rows = (mTiles + tm - 1) / tm * mr, cols = (nTiles + tn - 1) / tn * nr;
        double grid = rows * cols * (double)k + PackCost * (rows + cols) * k;
        double split = (double)mTiles * nTiles * mr * nr * k / threads
            + PackCost * ((double)(m + n) * k / threads + (double)m * n * (threads - 1));
        return split < grid;
    }

    /// <summary>
    /// C (+)= A·B as t partial products over slices of k, one per thread: the first into C, the others
    /// into scratch that the calling thread then adds to C. When the worker pool is busy the same slices
    /// run one after another here, so the result does not depend on what else the process is doing.
    /// </summary>
    private static unsafe void SplitDepth<TKernel>(Job job, int threads) where TKernel : struct, IGemmMicroKernel
    {
        int size = job.M * job.N;
        float[] scratch = ArrayPool<float>.Shared.Rent(size * (threads - 1));
        try
        {
            fixed (float* partials = scratch)
            {
                float* p = partials;
                void Slice(int t)
                {
                    int k0 = (int)((long)job.K * t / threads), k1 = (int)((long)job.K * (t + 1) / threads);
                    var slice = new Job(job.A + (long)k0 * job.CsA, job.RsA, job.CsA, job.B + (long)k0 * job.RsB, job.RsB, job.CsB,
                        t == 0 ? job.C : p + (long)(t - 1) * size, job.M, job.N, k1 - k0, t == 0 && job.Accumulate);
                    Block<TKernel>(slice, 0, job.M, 0, job.N);
                }
                if (!GemmWorkers.TryRun(threads, Slice))
                    for (int t = 0; t < threads; t++) Slice(t);
                var c = new Span<float>(job.C, size);
                for (int t = 1; t < threads; t++)
                    TensorPrimitives.Add(c, new ReadOnlySpan<float>(p + (long)(t - 1) * size, size), c);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(scratch);
        }
    }

    /// <summary>The blocked product for rows i0.. and columns j0.. of C, on the calling thread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Block<TKernel>(in Job job, int i0, int rows, int j0, int cols) where TKernel : struct, IGemmMicroKernel
    {
        int mr = TKernel.MR, nr = TKernel.NR;
        // Even out the blocks (k = 300 runs as 2 × 150, not 256 + 44) so no pass is a sliver.
        int kc = Even(job.K, KC, 1), mc = Even(rows, MC, mr), nc = Even(cols, NC, nr);
        var ws = Workspace.Rent(RoundUp(mc, mr) * kc, RoundUp(nc, nr) * kc);
        try
        {
            float* pa = ws.A, pb = ws.B;
            int ldc = job.N;
            for (int jc = 0; jc < cols; jc += nc)
            {
                int nb = Math.Min(nc, cols - jc);
                for (int pc = 0; pc < job.K; pc += kc)
                {
                    int kb = Math.Min(kc, job.K - pc);
                    bool add = job.Accumulate || pc > 0;
                    // A packed B holds slice pc at pc·(n rounded up to nr), its columns in nr-wide slivers.
                    if (job.PackedB != null) pb = job.PackedB + (long)pc * RoundUp(job.N, nr) + (long)(j0 + jc) * kb;
                    else GemmPacking.Pack(job.B + (long)pc * job.RsB + (long)(j0 + jc) * job.CsB, job.CsB, job.RsB, nb, kb, nr, pb);
                    for (int ic = 0; ic < rows; ic += mc)
                    {
                        int mb = Math.Min(mc, rows - ic);
                        GemmPacking.Pack(job.A + (long)(i0 + ic) * job.RsA + (long)pc * job.CsA, job.RsA, job.CsA, mb, kb, mr, pa);
                        float* cBlock = job.C + (long)(i0 + ic) * ldc + j0 + jc;
                        for (int jr = 0; jr < nb; jr += nr)
                        {
                            float* bSliver = pb + (long)jr * kb;
                            int w = Math.Min(nr, nb - jr);
                            for (int ir = 0; ir < mb; ir += mr)
                                TKernel.Run(kb, pa + (long)ir * kb, bSliver, cBlock + (long)ir * ldc + jr, ldc, Math.Min(mr, mb - ir), w, add);
                        }
                    }
                }
            }
        }
        finally
        {
            Workspace.Return(ws);
        }
    }

    /// <summary>Splits size into the fewest blocks of at most max, of equal size rounded up to a multiple of unit.</summary>
    private static int Even(int size, int max, int unit)
    {
        int blocks = (size + max - 1) / max;
        return RoundUp((size + blocks - 1) / blocks, unit);
    }

    private static int RoundUp(int x, int unit) => (x + unit - 1) / unit * unit;

    /// <summary>
    /// Packing buffers for one thread's product: pinned, 64-byte aligned, pooled, so after warm-up a
    /// product allocates nothing. The pool is a few lock-free slots (enough for every thread of a
    /// product plus a few concurrent callers); a workspace that finds no free slot is dropped.
    /// </summary>
    private sealed unsafe class Workspace
    {
        private static readonly Workspace?[] Pool = new Workspace?[Environment.ProcessorCount + 4];
        private float[] _a = [], _b = [];
        public float* A { get; private set; }
        public float* B { get; private set; }

        public static Workspace Rent(int aSize, int bSize)
        {
            Workspace? ws = null;
            for (int i = 0; i < Pool.Length && ws is null; i++)
                ws = Interlocked.Exchange(ref Pool[i], null);
            ws ??= new Workspace();
            if (ws._a.Length < aSize + 16) ws.A = Allocate(aSize, out ws._a);
            if (ws._b.Length < bSize + 16) ws.B = Allocate(bSize, out ws._b);
            return ws;
        }

        public static void Return(Workspace ws)
        {
            for (int i = 0; i < Pool.Length; i++)
                if (Interlocked.CompareExchange(ref Pool[i], ws, null) is null) return;
        }

        internal static float* Allocate(int size, out float[] array)
        {
            array = GC.AllocateUninitializedArray<float>(size + 16, pinned: true);
            nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
            return (float*)((address + 63) & ~(nint)63);
        }
    }
}

/// <summary>Which micro-kernel a product runs on.</summary>
internal enum GemmPath
{
    Auto,
    Vector512,
    Vector256,
    Scalar,
}
