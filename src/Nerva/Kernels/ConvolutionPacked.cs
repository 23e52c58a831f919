using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nerva.Kernels;

/// <summary>
/// The forward pass and kernel gradient of a one-group convolution as blocked GEMMs whose patch
/// operand is packed straight from the image into the micro-kernel's sliver layout: im2col and
/// GEMM's own packing become one copy instead of two, and the forward pass packs the kernel once
/// per call, not once per chunk.
/// </summary>
/// <remarks>
/// A sliver holds, for each k step, the patch values of MR output pixels. A pixel's patch row is
/// kh runs of kw·cin contiguous floats in NHWC (kh·kw runs of cin when dilated), so each run of MR
/// pixels transposes from MR source pointers, four pixels × four k steps per SSE transpose, as
/// <see cref="GemmPacking"/> does for a plain row-major A. Pixels whose window leaves the image
/// are first written out by im2col, then packed from that row. For the kernel gradient,
/// im2col(input)ᵀ · dOutput, the patches are the A operand transposed: a sliver is MR consecutive
/// patch elements of each pixel, usually one contiguous copy. The loops are BLIS's (see
/// <see cref="Gemm"/>): a kc×NR sliver of B stays in L1 while the chunk's packed patches stream past.
/// </remarks>
internal static unsafe class ConvolutionPacked
{
    /// <summary>Depth blocks are near-equal and at most this deep (288 = 3·3·32 runs as one block; 576 as two).</summary>
    private const int MaxDepthBlock = 320;

    /// <summary>
    /// Output pixels packed at a time: 20 slivers of 12, about 270 KiB of patches at depth 288 (in L2);
    /// as the depth of a kernel-gradient product, 240·32 floats of dOutput per sliver stay in L1.
    /// </summary>
    private const int ChunkRows = 240;

    public static void Forward(in ConvolutionJob job)
    {
        switch (Gemm.BestPath)
        {
            case GemmPath.Vector512: Forward<GemmKernel512>(job); break;
            case GemmPath.Vector256: Forward<GemmKernel256>(job); break;
            default: Forward<GemmKernelScalar>(job); break;
        }
    }

    private static void Forward<TKernel>(ConvolutionJob job) where TKernel : struct, IGemmMicroKernel
    {
        var g = job.G;
        int k = g.PatchSize, n = g.OutChannels, nr = TKernel.NR, tiles = (n + nr - 1) / nr;
        int blocks = (k + MaxDepthBlock - 1) / MaxDepthBlock, kc = (k + blocks - 1) / blocks;
        float[] packedKernel = ArrayPool<float>.Shared.Rent(tiles * nr * k);
        try
        {
            fixed (float* b = packedKernel)
            {
                // Depth block p0.. holds `tiles` slivers of (its depth) × NR, in order, starting at p0·tiles·NR.
                for (int p0 = 0; p0 < k; p0 += kc)
                    GemmPacking.Pack(job.Kernel + (long)p0 * n, 1, n, n, Math.Min(kc, k - p0), nr, b + (long)p0 * tiles * nr);
                nint packed = (nint)b;
                int parts = Math.Max(1, Math.Min(job.Threads, g.OutPixels / Convolution.MinChunkRows));
                Convolution.RunParts(parts, part =>
                {
                    var (r0, r1) = Convolution.Slice(part, parts, g.OutPixels);
                    RunRows<TKernel>(job, (float*)packed, kc, r0, r1);
                });
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packedKernel);
        }
    }

    private static void RunRows<TKernel>(in ConvolutionJob job, float* packedKernel, int kc, int r0, int r1) where TKernel : struct, IGemmMicroKernel
    {
        var g = job.G;
        int k = g.PatchSize, n = g.OutChannels, mr = TKernel.MR, nr = TKernel.NR, tiles = (n + nr - 1) / nr;
        int chunk = ChunkRows / mr * mr;
        float[] buffer = ArrayPool<float>.Shared.Rent(chunk * kc + chunk * k);
        try
        {
            fixed (float* packed = buffer)
            {
                var patches = new Patches(g, job.Input, packed + (long)chunk * kc);
                for (int r = r0; r < r1; r += chunk)
                {
                    int rows = Math.Min(chunk, r1 - r);
                    float* y = job.Output + (long)r * n;
                    if (job.Bias != null)
                        for (int i = 0; i < rows; i++) ConvolutionRowOps.Copy(job.Bias, y + (long)i * n, n);
                    patches.Locate(r, rows);
                    for (int p0 = 0; p0 < k; p0 += kc)
                    {
                        int kb = Math.Min(kc, k - p0);
                        patches.Pack(p0, kb, mr, packed);
                        float* bBlock = packedKernel + (long)p0 * tiles * nr;
                        bool add = job.Bias != null || p0 > 0;
                        for (int t = 0; t < tiles; t++)
                            for (int i = 0; i < rows; i += mr)
                                TKernel.Run(kb, packed + (long)i * kb, bBlock + (long)t * nr * kb, y + (long)i * n + t * nr, n,
                                    Math.Min(mr, rows - i), Math.Min(nr, n - t * nr), add);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    public static void BackwardKernel(in ConvolutionJob job, bool accumulate)
    {
        switch (Gemm.BestPath)
        {
            case GemmPath.Vector512: BackwardKernel<GemmKernel512>(job, accumulate); break;
            case GemmPath.Vector256: BackwardKernel<GemmKernel256>(job, accumulate); break;
            default: BackwardKernel<GemmKernelScalar>(job, accumulate); break;
        }
    }

    private static void BackwardKernel<TKernel>(ConvolutionJob job, bool accumulate) where TKernel : struct, IGemmMicroKernel
    {
        var g = job.G;
        int parts = Math.Max(1, Math.Min(job.Threads, g.OutPixels / Convolution.MinChunkRows));
        Convolution.RunGradientParts(job, parts, accumulate, (part, dw, db) =>
        {
            var (r0, r1) = Convolution.Slice(part, parts, g.OutPixels);
            KernelGradientRows<TKernel>(job, dw, db, r0, r1);
        });
    }

    /// <summary>dw += im2col(input)ᵀ · dOutput over output pixels [r0, r1), and db += their dOutput rows when db is not null.</summary>
    private static void KernelGradientRows<TKernel>(in ConvolutionJob job, float* dw, float* db, int r0, int r1) where TKernel : struct, IGemmMicroKernel
    {
        var g = job.G;
        int k = g.PatchSize, n = g.OutChannels, mr = TKernel.MR, nr = TKernel.NR, tiles = (n + nr - 1) / nr, slivers = (k + mr - 1) / mr;
        int chunk = ChunkRows;
        float[] buffer = ArrayPool<float>.Shared.Rent(slivers * mr * chunk + tiles * nr * chunk + chunk * k);
        try
        {
            fixed (float* packedPatches = buffer)
            {
                float* packedGradient = packedPatches + (long)slivers * mr * chunk;
                var patches = new Patches(g, job.Input, packedGradient + (long)tiles * nr * chunk);
                for (int r = r0; r < r1; r += chunk)
                {
                    int count = Math.Min(chunk, r1 - r);
                    float* dy = job.Output + (long)r * n;
                    patches.Locate(r, count);
                    patches.PackTransposed(mr, packedPatches);
                    GemmPacking.Pack(dy, 1, n, n, count, nr, packedGradient);
                    for (int t = 0; t < tiles; t++)
                        for (int s = 0; s < slivers; s++)
                            TKernel.Run(count, packedPatches + (long)s * mr * count, packedGradient + (long)t * nr * count,
                                dw + (long)s * mr * n + t * nr, n, Math.Min(mr, k - s * mr), Math.Min(nr, n - t * nr), true);
                    if (db != null) Convolution.SumRows(dy, db, 0, count, n);
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Where each pixel of a chunk reads its patch: a pointer per pixel into the image (window
    /// inside) or into a spill row written by im2col (window crosses the border), and per run the
    /// offset of that run in the image.
    /// </summary>
    private ref struct Patches
    {
        private readonly Conv2DGeometry _g;
        private readonly float* _x, _spill;
        private readonly int _run, _runStride;
        private fixed long _sources[ChunkRows]; // pointer per pixel; bit 0 set = spill row
        private int _count;

        public Patches(in Conv2DGeometry g, float* x, float* spill)
        {
            _g = g;
            _x = x;
            _spill = spill;
            // Without dilation along the width a kernel row is one run of kw·cin floats; with it, each tap is a run.
            _run = g.DilationW == 1 ? g.KernelWidth * g.InChannels : g.InChannels;
            _runStride = g.DilationW == 1 ? g.DilationH * g.InWidth * g.InChannels : 0;
        }

        /// <summary>Image offset of run q of an inside window, relative to its top-left pixel.</summary>
        private readonly long RunOffset(int q) => _runStride != 0
            ? (long)q * _runStride
            : ((long)(q / _g.KernelWidth) * _g.DilationH * _g.InWidth + q % _g.KernelWidth * _g.DilationW) * _g.InChannels;

        public void Locate(int r0, int count)
        {
            _count = count;
            var g = _g;
            int lastRow = (g.KernelHeight - 1) * g.DilationH, lastCol = (g.KernelWidth - 1) * g.DilationW;
            var pixel = new PixelCursor(g, r0);
            for (int i = 0; i < count; i++, pixel.Next())
            {
                bool inside = pixel.InRow >= 0 && pixel.InRow + lastRow < g.InHeight && pixel.InCol >= 0 && pixel.InCol + lastCol < g.InWidth;
                if (inside)
                {
                    _sources[i] = (long)(_x + (((long)pixel.Image * g.InHeight + pixel.InRow) * g.InWidth + pixel.InCol) * g.InChannels);
                    continue;
                }
                float* row = _spill + (long)i * g.PatchSize;
                ConvolutionIm2Col.Im2Col(_x, row, g, r0 + i, r0 + i + 1, 0, g.InChannels);
                _sources[i] = (long)row | 1;
            }
        }

        /// <summary>Packs depth [p0, p0 + kb) of the located pixels into ⌈count/mr⌉ slivers of mr × kb at dst.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Pack(int p0, int kb, int mr, float* dst)
        {
            float** lane = stackalloc float*[4];
            for (int l0 = 0; l0 < _count; l0 += mr, dst += (long)mr * kb)
            {
                int valid = Math.Min(mr, _count - l0);
                for (int q = p0 / _run, d = p0; d < p0 + kb; q++)
                {
                    // The part of run q inside this depth block: depth [d, end).
                    int end = Math.Min((q + 1) * _run, p0 + kb), within = d - q * _run;
                    long runOffset = RunOffset(q);
                    int l = 0;
                    for (; l < valid; l += 4)
                    {
                        int group = Math.Min(4, valid - l);
                        for (int i = 0; i < 4; i++) lane[i] = Source(l0 + l + Math.Min(i, group - 1), q, runOffset, within);
                        Transpose(lane, group, end - d, dst + (long)(d - p0) * mr + l, mr);
                    }
                    for (l = valid; l < mr; l++)
                        for (int p = d; p < end; p++) dst[(long)(p - p0) * mr + l] = 0;
                    d = end;
                }
            }
        }

        /// <summary>
        /// Packs the located pixels' patches transposed: ⌈k/mr⌉ slivers, each holding for every pixel
        /// mr consecutive patch elements (zero past k), at dst.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void PackTransposed(int mr, float* dst)
        {
            int k = _g.PatchSize;
            for (int p0 = 0; p0 < k; p0 += mr, dst += (long)mr * _count)
            {
                int valid = Math.Min(mr, k - p0), q = p0 / _run, within = p0 - q * _run;
                long runOffset = RunOffset(q);
                // Elements inside one run are one contiguous copy per pixel (3·3·32 patches: all of them).
                if (within + valid <= _run)
                {
                    for (int d = 0; d < _count; d++) CopyPadded(Source(d, q, runOffset, within), dst + (long)d * mr, valid, mr);
                    continue;
                }
                for (int d = 0; d < _count; d++)
                    for (int l = 0; l < mr; l++)
                    {
                        int p = p0 + l, run = p / _run;
                        dst[(long)d * mr + l] = p < k ? *Source(d, run, RunOffset(run), p - run * _run) : 0;
                    }
            }
        }

        /// <summary>to[0..valid) = from[0..valid), to[valid..width) = 0.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void CopyPadded(float* from, float* to, int valid, int width)
        {
            if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
            {
                Avx512F.MaskStore(to, ConvolutionRowOps.Tail(width), Avx512F.MaskLoad(from, ConvolutionRowOps.Tail(valid), Vector512<float>.Zero));
                return;
            }
            for (int l = 0; l < width; l++) to[l] = l < valid ? from[l] : 0;
        }

        private readonly float* Source(int pixel, int q, long runOffset, int within)
        {
            long source = _sources[pixel];
            return (source & 1) == 0 ? (float*)source + runOffset + within : (float*)(source & ~1L) + (long)q * _run + within;
        }

        /// <summary>dst[p·stride + i] = lane[i][p] for i &lt; count (≤ 4), p &lt; depth.</summary>
        private static void Transpose(float** lane, int count, int depth, float* dst, int stride)
        {
            float* s0 = lane[0], s1 = lane[1], s2 = lane[2], s3 = lane[3];
            int p = 0;
            if (Sse.IsSupported && count == 4)
                for (; p + 4 <= depth; p += 4, dst += 4 * stride)
                {
                    var r0 = Sse.LoadVector128(s0 + p);
                    var r1 = Sse.LoadVector128(s1 + p);
                    var r2 = Sse.LoadVector128(s2 + p);
                    var r3 = Sse.LoadVector128(s3 + p);
                    var t0 = Sse.UnpackLow(r0, r1);
                    var t1 = Sse.UnpackLow(r2, r3);
                    var t2 = Sse.UnpackHigh(r0, r1);
                    var t3 = Sse.UnpackHigh(r2, r3);
                    Sse.Store(dst, Sse.MoveLowToHigh(t0, t1));
                    Sse.Store(dst + stride, Sse.MoveHighToLow(t1, t0));
                    Sse.Store(dst + 2 * stride, Sse.MoveLowToHigh(t2, t3));
                    Sse.Store(dst + 3 * stride, Sse.MoveHighToLow(t3, t2));
                }
            for (; p < depth; p++, dst += stride)
                for (int i = 0; i < count; i++) dst[i] = lane[i][p];
        }
    }
}
