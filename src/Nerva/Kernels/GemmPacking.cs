using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nerva.Kernels;

/// <summary>
/// Copies blocks of A and B into the sliver layout the micro-kernels stream through contiguously.
/// </summary>
/// <remarks>
/// Both operands pack the same way: a block of <c>lanes</c> × <c>depth</c> (rows × k of op(A),
/// or columns × k of op(B)) becomes ⌈lanes/width⌉ slivers, each holding, for every k step, the
/// <c>width</c> values of its lanes (zero past the last lane). Element (lane, p) is read at
/// <c>src[lane·laneStride + p·depthStride]</c>, so a transposed operand only swaps the strides
/// and the kernels never see a transpose. Exactly one stride is 1 for the row-major operands
/// Gemm accepts; each case gets a loop that reads memory in order.
/// <para>The methods here and the kernels are compiled fully optimized on first call
/// (AggressiveOptimization): calls are short, so tiered compilation would otherwise run tier-0
/// packing code for the first ~100 ms of a program, measured 3–5× slower.</para>
/// </remarks>
internal static unsafe class GemmPacking
{
    /// <summary>Packs lanes × depth into slivers of the given width at dst (⌈lanes/width⌉·width·depth floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Pack(float* src, int laneStride, int depthStride, int lanes, int depth, int width, float* dst)
    {
        if (laneStride == 1)
            PackLanesContiguous(src, depthStride, lanes, depth, width, dst);
        else
            PackDepthContiguous(src, laneStride, depthStride, lanes, depth, width, dst);
    }

    /// <summary>
    /// Lanes contiguous (A stored as Aᵀ, or B row-major): each k step is a run of memory. Walk k in
    /// the outer loop so the source is read row by row; a sliver-outer walk would jump a whole
    /// row per step and, at power-of-two strides, thrash L1 on 4 KiB aliasing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackLanesContiguous(float* src, int depthStride, int lanes, int depth, int width, float* dst)
    {
        int full = lanes / width, tail = lanes - full * width;
        long sliverSize = (long)width * depth;
        // Eight k steps at a time: their source rows stay in L1 while every sliver takes its
        // piece, and each sliver receives one contiguous 8·width run. (A sliver-outer walk re-reads
        // rows a power-of-two stride apart, all in one L1 set; a step-at-a-time walk writes
        // ⌈lanes/width⌉ streams that alias the same way.)
        const int Chunk = 8;
        for (int p0 = 0; p0 < depth; p0 += Chunk)
        {
            int p1 = Math.Min(depth, p0 + Chunk);
            for (int v = 0; v < full; v++)
            {
                float* s = src + (long)p0 * depthStride + v * width;
                float* d = dst + v * sliverSize + (long)p0 * width;
                for (int p = p0; p < p1; p++, s += depthStride, d += width)
                    CopyRun(s, d, width);
            }
            if (tail > 0)
            {
                float* s = src + (long)p0 * depthStride + full * width;
                float* d = dst + full * sliverSize + (long)p0 * width;
                for (int p = p0; p < p1; p++, s += depthStride, d += width)
                {
                    for (int l = 0; l < tail; l++) d[l] = s[l];
                    for (int l = tail; l < width; l++) d[l] = 0;
                }
            }
        }
    }

    /// <summary>
    /// Depth contiguous (A row-major, or B stored as Bᵀ): every lane is a run along k, so this is
    /// a transpose. Four lanes × four k steps at a time go through an SSE 4×4 transpose; the rest
    /// (narrow slivers, k tails, lanes past a multiple of four) is scalar.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackDepthContiguous(float* src, int laneStride, int depthStride, int lanes, int depth, int width, float* dst)
    {
        bool prefetch = laneStride >= 4 * depth; // see below
        for (int l0 = 0; l0 < lanes; l0 += width, dst += (long)width * depth)
        {
            int valid = Math.Min(width, lanes - l0);
            int l = 0;
            if (Sse.IsSupported && depthStride == 1)
            {
                for (; l + 4 <= valid; l += 4)
                {
                    float* s0 = src + (long)(l0 + l) * laneStride;
                    float* s1 = s0 + laneStride, s2 = s1 + laneStride, s3 = s2 + laneStride;
                    float* d = dst + l;
                    // The same four lanes of the next sliver, read one sliver from now. When lanes
                    // are far apart, each is a short run (depth floats) too short for the hardware
                    // prefetcher to lock on, so every line was a demand miss: a 2048×2048 A packed
                    // 1.75× faster with this, and 1024³ products ran 3–6% faster. Lanes close
                    // together read as one stream, where the prefetches only cost (+30% on a
                    // 256×256 pack).
                    float* next = s0 + (long)width * laneStride;
                    int p = 0;
                    for (; p + 4 <= depth; p += 4, d += 4 * width)
                    {
                        if (prefetch && (p & 15) == 0)
                        {
                            Sse.Prefetch0(next + p);
                            Sse.Prefetch0(next + laneStride + p);
                            Sse.Prefetch0(next + 2 * laneStride + p);
                            Sse.Prefetch0(next + 3 * laneStride + p);
                        }
                        var r0 = Sse.LoadVector128(s0 + p);
                        var r1 = Sse.LoadVector128(s1 + p);
                        var r2 = Sse.LoadVector128(s2 + p);
                        var r3 = Sse.LoadVector128(s3 + p);
                        var t0 = Sse.UnpackLow(r0, r1);   // r0[0] r1[0] r0[1] r1[1]
                        var t1 = Sse.UnpackLow(r2, r3);   // r2[0] r3[0] r2[1] r3[1]
                        var t2 = Sse.UnpackHigh(r0, r1);  // r0[2] r1[2] r0[3] r1[3]
                        var t3 = Sse.UnpackHigh(r2, r3);  // r2[2] r3[2] r2[3] r3[3]
                        Sse.Store(d, Sse.MoveLowToHigh(t0, t1));
                        Sse.Store(d + width, Sse.MoveHighToLow(t1, t0));
                        Sse.Store(d + 2 * width, Sse.MoveLowToHigh(t2, t3));
                        Sse.Store(d + 3 * width, Sse.MoveHighToLow(t3, t2));
                    }
                    for (; p < depth; p++, d += width)
                    {
                        d[0] = s0[p];
                        d[1] = s1[p];
                        d[2] = s2[p];
                        d[3] = s3[p];
                    }
                }
            }
            for (; l < valid; l++)
            {
                float* s = src + (long)(l0 + l) * laneStride;
                float* d = dst + l;
                for (int p = 0; p < depth; p++, d += width) *d = s[(long)p * depthStride];
            }
            for (; l < width; l++)
            {
                float* d = dst + l;
                for (int p = 0; p < depth; p++, d += width) *d = 0;
            }
        }
    }

    /// <summary>Copies a run of n floats (a sliver's width: 4, 6, 12, 16 or 32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyRun(float* from, float* to, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16) Vector512.Store(Vector512.Load(from + i), to + i);
        for (; i <= n - 8; i += 8) Vector256.Store(Vector256.Load(from + i), to + i);
        for (; i <= n - 4; i += 4) Vector128.Store(Vector128.Load(from + i), to + i);
        for (; i < n; i++) to[i] = from[i];
    }

    /// <summary>Writes (or adds) the valid rows × cols corner of a micro-kernel tile into C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CopyTile(float* tile, int tileStride, float* c, int ldc, int rows, int cols, bool accumulate)
    {
        for (int r = 0; r < rows; r++)
        {
            float* t = tile + r * tileStride;
            float* d = c + (long)r * ldc;
            if (accumulate)
                for (int j = 0; j < cols; j++) d[j] += t[j];
            else
                for (int j = 0; j < cols; j++) d[j] = t[j];
        }
    }
}
