using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nerva.Kernels;

/// <summary>
/// A register-blocked GEMM micro-kernel: it multiplies a packed MR×kc sliver of A by a packed
/// kc×NR sliver of B and writes (or adds) the MR×NR product into C.
/// </summary>
/// <remarks>
/// Packed layouts (see <see cref="GemmPacking"/>): A holds MR values per k step (one column of
/// the sliver), B holds NR values per k step (one row), both zero-padded to full width, so the
/// kernel always computes a full tile; only its valid rows × cols reach C.
/// </remarks>
internal unsafe interface IGemmMicroKernel
{
    /// <summary>Rows of C per tile (the broadcast operand).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of C per tile (the vector operand).</summary>
    static abstract int NR { get; }

    /// <summary>C[0..rows, 0..cols] (+)= A·B over kc steps; ldc is C's row stride.</summary>
    static abstract void Run(int kc, float* a, float* b, float* c, int ldc, int rows, int cols, bool accumulate);
}

/// <summary>
/// AVX-512: 12×32 tile. 24 zmm accumulators + 2 B vectors + 1 broadcast = 27 of the 32 zmm
/// registers (the JIT keeps them all in registers, no spills). Each k step issues 24 independent
/// FMAs against 14 loads; keeping the FMA pipes full takes latency × throughput chains in flight,
/// 4 × 2 = 8 on Zen 5 (two full-width zmm FMAs per cycle), 4 × 1 on Zen 4, so 24 leaves slack.
/// Measured alone on Zen 5 with its data in L1: ~99% of the FMA peak (the JIT emits 2 B loads,
/// 12 vbroadcastss and 24 register vfmadd231ps per k step, no spills); in a whole product what
/// is lost is memory traffic: C's read-back (see CPrefetchSteps) and packing.
/// </summary>
internal readonly unsafe struct GemmKernel512 : IGemmMicroKernel
{
    public static int MR => 12;
    public static int NR => 32;

    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, int rows, int cols, bool accumulate)
    {
        Vector512<float> c0x = default, c0y = default;
        Vector512<float> c1x = default, c1y = default;
        Vector512<float> c2x = default, c2y = default;
        Vector512<float> c3x = default, c3y = default;
        Vector512<float> c4x = default, c4y = default;
        Vector512<float> c5x = default, c5y = default;
        Vector512<float> c6x = default, c6y = default;
        Vector512<float> c7x = default, c7y = default;
        Vector512<float> c8x = default, c8y = default;
        Vector512<float> c9x = default, c9y = default;
        Vector512<float> c10x = default, c10y = default;
        Vector512<float> c11x = default, c11y = default;
        // The k loop runs in two parts with the C tile's prefetch between them (see CPrefetchSteps).
        int p = 0;
        for (int kEnd = Math.Max(0, kc - CPrefetchSteps); ; kEnd = kc)
        {
            for (; p < kEnd; p++)
            {
                var b0 = Vector512.Load(b);
                var b1 = Vector512.Load(b + 16);
                Vector512<float> s;
                s = Vector512.Create(a[0]); c0x = Vector512.FusedMultiplyAdd(s, b0, c0x); c0y = Vector512.FusedMultiplyAdd(s, b1, c0y);
                s = Vector512.Create(a[1]); c1x = Vector512.FusedMultiplyAdd(s, b0, c1x); c1y = Vector512.FusedMultiplyAdd(s, b1, c1y);
                s = Vector512.Create(a[2]); c2x = Vector512.FusedMultiplyAdd(s, b0, c2x); c2y = Vector512.FusedMultiplyAdd(s, b1, c2y);
                s = Vector512.Create(a[3]); c3x = Vector512.FusedMultiplyAdd(s, b0, c3x); c3y = Vector512.FusedMultiplyAdd(s, b1, c3y);
                s = Vector512.Create(a[4]); c4x = Vector512.FusedMultiplyAdd(s, b0, c4x); c4y = Vector512.FusedMultiplyAdd(s, b1, c4y);
                s = Vector512.Create(a[5]); c5x = Vector512.FusedMultiplyAdd(s, b0, c5x); c5y = Vector512.FusedMultiplyAdd(s, b1, c5y);
                s = Vector512.Create(a[6]); c6x = Vector512.FusedMultiplyAdd(s, b0, c6x); c6y = Vector512.FusedMultiplyAdd(s, b1, c6y);
                s = Vector512.Create(a[7]); c7x = Vector512.FusedMultiplyAdd(s, b0, c7x); c7y = Vector512.FusedMultiplyAdd(s, b1, c7y);
                s = Vector512.Create(a[8]); c8x = Vector512.FusedMultiplyAdd(s, b0, c8x); c8y = Vector512.FusedMultiplyAdd(s, b1, c8y);
                s = Vector512.Create(a[9]); c9x = Vector512.FusedMultiplyAdd(s, b0, c9x); c9y = Vector512.FusedMultiplyAdd(s, b1, c9y);
                s = Vector512.Create(a[10]); c10x = Vector512.FusedMultiplyAdd(s, b0, c10x); c10y = Vector512.FusedMultiplyAdd(s, b1, c10y);
                s = Vector512.Create(a[11]); c11x = Vector512.FusedMultiplyAdd(s, b0, c11x); c11y = Vector512.FusedMultiplyAdd(s, b1, c11y);
                a += 12;
                b += 32;
            }
            if (kEnd == kc) break;
            PrefetchTile(c, ldc, rows);
        }
        // Full tiles go straight to C; edge tiles go through a stack tile and copy the valid part.
        bool full = rows == 12 && cols == 32;
        float* tile = stackalloc float[12 * 32];
        float* dst = full ? c : tile;
        int ld = full ? ldc : 32;
        bool add = accumulate && full;
        Store(dst + 0 * ld, c0x, c0y, add);
        Store(dst + 1 * ld, c1x, c1y, add);
        Store(dst + 2 * ld, c2x, c2y, add);
        Store(dst + 3 * ld, c3x, c3y, add);
        Store(dst + 4 * ld, c4x, c4y, add);
        Store(dst + 5 * ld, c5x, c5y, add);
        Store(dst + 6 * ld, c6x, c6y, add);
        Store(dst + 7 * ld, c7x, c7y, add);
        Store(dst + 8 * ld, c8x, c8y, add);
        Store(dst + 9 * ld, c9x, c9y, add);
        Store(dst + 10 * ld, c10x, c10y, add);
        Store(dst + 11 * ld, c11x, c11y, add);
        if (!full) GemmPacking.CopyTile(tile, 32, c, ldc, rows, cols, accumulate);
    }

    /// <summary>
    /// How many k steps before the end the C tile is prefetched into L1 (~1500 cycles). C's
    /// read-back is most of what separates a whole product from the kernel's in-L1 speed: on Zen 5,
    /// 1024³ and 2048³ products ran 6–10% faster with C's stores and loads sent to a scratch tile
    /// (wrong results, timing only). A prefetch at the start of the tile, 3000+ cycles early, is
    /// likely evicted again by the 44 KiB of A and B the k loop streams through the 48 KiB L1 (C's
    /// rows, a power-of-two stride apart, also share L1 sets); prefetching 64–192 steps before the
    /// end instead won 3–5% at 1 and 2 threads (128 best, within noise of its neighbours), no
    /// prefetch at all lost 6%.
    /// </summary>
    internal const int CPrefetchSteps = 128;

    /// <summary>
    /// Prefetches the rows of a C tile: 32 floats are 128 bytes, two cache lines when the row is
    /// 64-byte aligned and three when it is not (C in a managed array usually is not), so the
    /// first, middle and last element are each fetched; in the aligned case two of them share a
    /// line. Fetching only the first and last left the middle line of a misaligned row to a demand
    /// miss: 2048³ on 2 threads with C 16 bytes off alignment ran ~5% faster with the third.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchTile(float* c, int ldc, int rows)
    {
        if (!Sse.IsSupported) return;
        for (int r = 0; r < rows; r++)
        {
            float* row = c + (long)r * ldc;
            Sse.Prefetch0(row);
            Sse.Prefetch0(row + 16);
            Sse.Prefetch0(row + 31);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, Vector512<float> x, Vector512<float> y, bool add)
    {
        if (add)
        {
            x += Vector512.Load(row);
            y += Vector512.Load(row + 16);
        }
        Vector512.Store(x, row);
        Vector512.Store(y, row + 16);
    }
}

/// <summary>
/// AVX-512 for products at most 16 columns wide (16-channel convolutions, small Dense outputs):
/// 24×16 tile. The 12×32 kernel would spend half its FMAs on padding there and route every tile
/// through its edge copy. 24 zmm accumulators + 1 B vector + broadcasts; each k step issues 24
/// FMAs against 25 loads, which Zen 5's two 512-bit load ports keep up with.
/// </summary>
internal readonly unsafe struct GemmKernel512Narrow : IGemmMicroKernel
{
    public static int MR => 24;
    public static int NR => 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, int rows, int cols, bool accumulate)
    {
        Vector512<float> c0 = default;
        Vector512<float> c1 = default;
        Vector512<float> c2 = default;
        Vector512<float> c3 = default;
        Vector512<float> c4 = default;
        Vector512<float> c5 = default;
        Vector512<float> c6 = default;
        Vector512<float> c7 = default;
        Vector512<float> c8 = default;
        Vector512<float> c9 = default;
        Vector512<float> c10 = default;
        Vector512<float> c11 = default;
        Vector512<float> c12 = default;
        Vector512<float> c13 = default;
        Vector512<float> c14 = default;
        Vector512<float> c15 = default;
        Vector512<float> c16 = default;
        Vector512<float> c17 = default;
        Vector512<float> c18 = default;
        Vector512<float> c19 = default;
        Vector512<float> c20 = default;
        Vector512<float> c21 = default;
        Vector512<float> c22 = default;
        Vector512<float> c23 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[0]), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[1]), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[2]), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[3]), b0, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a[4]), b0, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a[5]), b0, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a[6]), b0, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a[7]), b0, c7);
            c8 = Vector512.FusedMultiplyAdd(Vector512.Create(a[8]), b0, c8);
            c9 = Vector512.FusedMultiplyAdd(Vector512.Create(a[9]), b0, c9);
            c10 = Vector512.FusedMultiplyAdd(Vector512.Create(a[10]), b0, c10);
            c11 = Vector512.FusedMultiplyAdd(Vector512.Create(a[11]), b0, c11);
            c12 = Vector512.FusedMultiplyAdd(Vector512.Create(a[12]), b0, c12);
            c13 = Vector512.FusedMultiplyAdd(Vector512.Create(a[13]), b0, c13);
            c14 = Vector512.FusedMultiplyAdd(Vector512.Create(a[14]), b0, c14);
            c15 = Vector512.FusedMultiplyAdd(Vector512.Create(a[15]), b0, c15);
            c16 = Vector512.FusedMultiplyAdd(Vector512.Create(a[16]), b0, c16);
            c17 = Vector512.FusedMultiplyAdd(Vector512.Create(a[17]), b0, c17);
            c18 = Vector512.FusedMultiplyAdd(Vector512.Create(a[18]), b0, c18);
            c19 = Vector512.FusedMultiplyAdd(Vector512.Create(a[19]), b0, c19);
            c20 = Vector512.FusedMultiplyAdd(Vector512.Create(a[20]), b0, c20);
            c21 = Vector512.FusedMultiplyAdd(Vector512.Create(a[21]), b0, c21);
            c22 = Vector512.FusedMultiplyAdd(Vector512.Create(a[22]), b0, c22);
            c23 = Vector512.FusedMultiplyAdd(Vector512.Create(a[23]), b0, c23);
            a += 24;
            b += 16;
        }
        bool full = rows == 24 && cols == 16;
        float* tile = stackalloc float[24 * 16];
        float* dst = full ? c : tile;
        int ld = full ? ldc : 16;
        bool add = accumulate && full;
        Store(dst + 0 * ld, c0, add);
        Store(dst + 1 * ld, c1, add);
        Store(dst + 2 * ld, c2, add);
        Store(dst + 3 * ld, c3, add);
        Store(dst + 4 * ld, c4, add);
        Store(dst + 5 * ld, c5, add);
        Store(dst + 6 * ld, c6, add);
        Store(dst + 7 * ld, c7, add);
        Store(dst + 8 * ld, c8, add);
        Store(dst + 9 * ld, c9, add);
        Store(dst + 10 * ld, c10, add);
        Store(dst + 11 * ld, c11, add);
        Store(dst + 12 * ld, c12, add);
        Store(dst + 13 * ld, c13, add);
        Store(dst + 14 * ld, c14, add);
        Store(dst + 15 * ld, c15, add);
        Store(dst + 16 * ld, c16, add);
        Store(dst + 17 * ld, c17, add);
        Store(dst + 18 * ld, c18, add);
        Store(dst + 19 * ld, c19, add);
        Store(dst + 20 * ld, c20, add);
        Store(dst + 21 * ld, c21, add);
        Store(dst + 22 * ld, c22, add);
        Store(dst + 23 * ld, c23, add);
        if (!full) GemmPacking.CopyTile(tile, 16, c, ldc, rows, cols, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, Vector512<float> x, bool add)
    {
        if (add) x += Vector512.Load(row);
        Vector512.Store(x, row);
    }
}

/// <summary>
/// AVX2/FMA: 6×16 tile. 12 ymm accumulators + 2 B vectors + 1 broadcast = 15 of the 16 ymm
/// registers (the classic Haswell BLIS shape).
/// </summary>
internal readonly unsafe struct GemmKernel256 : IGemmMicroKernel
{
    public static int MR => 6;
    public static int NR => 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, int rows, int cols, bool accumulate)
    {
        Vector256<float> c0x = default, c0y = default;
        Vector256<float> c1x = default, c1y = default;
        Vector256<float> c2x = default, c2y = default;
        Vector256<float> c3x = default, c3y = default;
        Vector256<float> c4x = default, c4y = default;
        Vector256<float> c5x = default, c5y = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            Vector256<float> s;
            s = Vector256.Create(a[0]); c0x = Vector256.FusedMultiplyAdd(s, b0, c0x); c0y = Vector256.FusedMultiplyAdd(s, b1, c0y);
            s = Vector256.Create(a[1]); c1x = Vector256.FusedMultiplyAdd(s, b0, c1x); c1y = Vector256.FusedMultiplyAdd(s, b1, c1y);
            s = Vector256.Create(a[2]); c2x = Vector256.FusedMultiplyAdd(s, b0, c2x); c2y = Vector256.FusedMultiplyAdd(s, b1, c2y);
            s = Vector256.Create(a[3]); c3x = Vector256.FusedMultiplyAdd(s, b0, c3x); c3y = Vector256.FusedMultiplyAdd(s, b1, c3y);
            s = Vector256.Create(a[4]); c4x = Vector256.FusedMultiplyAdd(s, b0, c4x); c4y = Vector256.FusedMultiplyAdd(s, b1, c4y);
            s = Vector256.Create(a[5]); c5x = Vector256.FusedMultiplyAdd(s, b0, c5x); c5y = Vector256.FusedMultiplyAdd(s, b1, c5y);
            a += 6;
            b += 16;
        }
        bool full = rows == 6 && cols == 16;
        float* tile = stackalloc float[6 * 16];
        float* dst = full ? c : tile;
        int ld = full ? ldc : 16;
        bool add = accumulate && full;
        Store(dst + 0 * ld, c0x, c0y, add);
        Store(dst + 1 * ld, c1x, c1y, add);
        Store(dst + 2 * ld, c2x, c2y, add);
        Store(dst + 3 * ld, c3x, c3y, add);
        Store(dst + 4 * ld, c4x, c4y, add);
        Store(dst + 5 * ld, c5x, c5y, add);
        if (!full) GemmPacking.CopyTile(tile, 16, c, ldc, rows, cols, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(float* row, Vector256<float> x, Vector256<float> y, bool add)
    {
        if (add)
        {
            x += Vector256.Load(row);
            y += Vector256.Load(row + 8);
        }
        Vector256.Store(x, row);
        Vector256.Store(y, row + 8);
    }
}

/// <summary>Portable scalar 4×4 tile: 16 accumulators fit the general registers of any target.</summary>
internal readonly unsafe struct GemmKernelScalar : IGemmMicroKernel
{
    public static int MR => 4;
    public static int NR => 4;

    [MethodImpl(MethodImplOptions.AggressiveOptimization), SkipLocalsInit]
    public static void Run(int kc, float* a, float* b, float* c, int ldc, int rows, int cols, bool accumulate)
    {
        float* t = stackalloc float[16];
        new Span<float>(t, 16).Clear();
        for (int p = 0; p < kc; p++)
        {
            float b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3];
            for (int r = 0; r < 4; r++)
            {
                float s = a[r];
                t[r * 4] += s * b0;
                t[r * 4 + 1] += s * b1;
                t[r * 4 + 2] += s * b2;
                t[r * 4 + 3] += s * b3;
            }
            a += 4;
            b += 4;
        }
        GemmPacking.CopyTile(t, 4, c, ldc, rows, cols, accumulate);
    }
}
