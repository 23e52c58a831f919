using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nerva.Kernels;

/// <summary>
/// Loops over one short run of floats (a pixel's channels, a kernel row's taps), the inner step of
/// im2col, col2im, depthwise convolution and pooling. Inlined and pointer-based because the runs
/// are short (a few to a few hundred floats) and there are millions of them: a TensorPrimitives
/// call per run costs more than the run itself when a pixel has 1–32 channels.
/// </summary>
internal static unsafe class ConvolutionRowOps
{
    /// <summary>dst[0..n) = src[0..n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Copy(float* src, float* dst, int n)
    {
        if (n > 256)
        {
            Buffer.MemoryCopy(src, dst, (long)n * sizeof(float), (long)n * sizeof(float));
            return;
        }
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            for (; i <= n - 16; i += 16) Vector512.Store(Vector512.Load(src + i), dst + i);
            if (i < n) Avx512F.MaskStore(dst + i, Tail(n - i), Avx512F.MaskLoad(src + i, Tail(n - i), Vector512<float>.Zero));
            return;
        }
        for (; i < n; i++) dst[i] = src[i];
    }

    /// <summary>dst[0..n) = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Clear(float* dst, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported)
        {
            for (; i <= n - 16; i += 16) Vector512.Store(Vector512<float>.Zero, dst + i);
            if (i < n) Avx512F.MaskStore(dst + i, Tail(n - i), Vector512<float>.Zero);
            return;
        }
        for (; i < n; i++) dst[i] = 0;
    }

    /// <summary>A mask of the first <paramref name="count"/> lanes (1..16): one masked load or store finishes a run, no scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Tail(int count) => Vector512.LessThan(Vector512<int>.Indices, Vector512.Create(count)).AsSingle();

    /// <summary>dst[i] += src[i].</summary>
    /// <remarks>
    /// The tail is scalar, not masked: col2im adds overlapping runs back to back, and a load that
    /// overlaps a just-masked store cannot take its data from the store buffer (a ~20-cycle stall
    /// per pixel when a run is 3 floats).
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(float* dst, float* src, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16)
                Vector512.Store(Vector512.Load(dst + i) + Vector512.Load(src + i), dst + i);
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8)
                Vector256.Store(Vector256.Load(dst + i) + Vector256.Load(src + i), dst + i);
        for (; i < n; i++) dst[i] += src[i];
    }

    /// <summary>sum[c] += Σ_r rows[r·channels + c] for r in [start, end): column sums kept in registers, 64 channels at a time.</summary>
    public static void SumRows(float* rows, float* sum, int start, int end, int channels)
    {
        if (!(Vector512.IsHardwareAccelerated && Avx512F.IsSupported))
        {
            for (int r = start; r < end; r++) Add(sum, rows + (long)r * channels, channels);
            return;
        }
        for (int c = 0; c < channels; c += 64)
        {
            int width = Math.Min(64, channels - c);
            Vector512<float> m0 = Tail(Math.Min(width, 16)), m1 = Tail(Math.Clamp(width - 16, 0, 16));
            Vector512<float> m2 = Tail(Math.Clamp(width - 32, 0, 16)), m3 = Tail(Math.Clamp(width - 48, 0, 16));
            Vector512<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (long r = start; r < end; r++)
            {
                float* row = rows + r * channels + c;
                s0 += Avx512F.MaskLoad(row, m0, Vector512<float>.Zero);
                if (width > 16) s1 += Avx512F.MaskLoad(row + 16, m1, Vector512<float>.Zero);
                if (width > 32) s2 += Avx512F.MaskLoad(row + 32, m2, Vector512<float>.Zero);
                if (width > 48) s3 += Avx512F.MaskLoad(row + 48, m3, Vector512<float>.Zero);
            }
            float* dst = sum + c;
            Avx512F.MaskStore(dst, m0, Avx512F.MaskLoad(dst, m0, Vector512<float>.Zero) + s0);
            if (width > 16) Avx512F.MaskStore(dst + 16, m1, Avx512F.MaskLoad(dst + 16, m1, Vector512<float>.Zero) + s1);
            if (width > 32) Avx512F.MaskStore(dst + 32, m2, Avx512F.MaskLoad(dst + 32, m2, Vector512<float>.Zero) + s2);
            if (width > 48) Avx512F.MaskStore(dst + 48, m3, Avx512F.MaskLoad(dst + 48, m3, Vector512<float>.Zero) + s3);
        }
    }

    /// <summary>dst[i] += a[i]·b[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(float* dst, float* a, float* b, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16)
                Vector512.Store(Vector512.FusedMultiplyAdd(Vector512.Load(a + i), Vector512.Load(b + i), Vector512.Load(dst + i)), dst + i);
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8)
                Vector256.Store(Vector256.FusedMultiplyAdd(Vector256.Load(a + i), Vector256.Load(b + i), Vector256.Load(dst + i)), dst + i);
        for (; i < n; i++) dst[i] = MathF.FusedMultiplyAdd(a[i], b[i], dst[i]);
    }

    /// <summary>dst[i] += scale·src[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddScaled(float* dst, float* src, float scale, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var s = Vector512.Create(scale);
            for (; i <= n - 16; i += 16)
                Vector512.Store(Vector512.FusedMultiplyAdd(Vector512.Load(src + i), s, Vector512.Load(dst + i)), dst + i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var s = Vector256.Create(scale);
            for (; i <= n - 8; i += 8)
                Vector256.Store(Vector256.FusedMultiplyAdd(Vector256.Load(src + i), s, Vector256.Load(dst + i)), dst + i);
        }
        for (; i < n; i++) dst[i] = MathF.FusedMultiplyAdd(src[i], scale, dst[i]);
    }

    /// <summary>dst[i] = scale·dst[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale(float* dst, float scale, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16)
                Vector512.Store(Vector512.Load(dst + i) * scale, dst + i);
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8)
                Vector256.Store(Vector256.Load(dst + i) * scale, dst + i);
        for (; i < n; i++) dst[i] *= scale;
    }
}
