using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
        if (n >= 16)
        {
            Buffer.MemoryCopy(src, dst, (long)n * sizeof(float), (long)n * sizeof(float));
            return;
        }
        for (int i = 0; i < n; i++) dst[i] = src[i];
    }

    /// <summary>dst[0..n) = 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Clear(float* dst, int n)
    {
        if (n >= 16)
        {
            new Span<float>(dst, n).Clear();
            return;
        }
        for (int i = 0; i < n; i++) dst[i] = 0;
    }

    /// <summary>dst[i] += src[i].</summary>
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

    /// <summary>dst[i] = max(dst[i], src[i]).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Max(float* dst, float* src, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= n - 16; i += 16)
                Vector512.Store(Vector512.Max(Vector512.Load(dst + i), Vector512.Load(src + i)), dst + i);
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= n - 8; i += 8)
                Vector256.Store(Vector256.Max(Vector256.Load(dst + i), Vector256.Load(src + i)), dst + i);
        for (; i < n; i++) dst[i] = MathF.Max(dst[i], src[i]);
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
