using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Nerva.Kernels;

/// <summary>
/// The Adam update in one vectorised pass over parameter, gradient and both moments (memory-bound,
/// so one pass beats a chain of TensorPrimitives calls that would read each array several times).
/// </summary>
public static class AdamKernel
{
    /// <summary>
    /// Parameters with at least twice this many values are updated on all cores: the update reads four
    /// arrays and takes a square root and a division per value, so 16k values (~10 µs) pay for a
    /// ~1 µs hand-off, and each core's share of a large layer then fits its own L2.
    /// </summary>
    private const int ParallelGrain = 1 << 14;

    /// <summary>
    /// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − stepSize·m / (√v·invRootCorrection2 + ε),
    /// which is torch.optim.Adam with stepSize = lr/(1−β₁ᵗ) and invRootCorrection2 = 1/√(1−β₂ᵗ).
    /// </summary>
    public static unsafe void Update(Span<float> parameter, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v,
        float beta1, float beta2, float stepSize, float invRootCorrection2, float epsilon)
    {
        int n = parameter.Length;
        if (gradient.Length != n || m.Length != n || v.Length != n) throw new ArgumentException("AdamKernel: expected spans of equal length.");
        if (n < 2 * ParallelGrain)
        {
            UpdateRange(parameter, gradient, m, v, beta1, beta2, stepSize, invRootCorrection2, epsilon);
            return;
        }
        fixed (float* p = parameter, g = gradient, mp = m, vp = v)
        {
            // Fixed locals cannot be captured; copies can.
            float* pp = p, gp = g, mq = mp, vq = vp;
            Parallelism.For(n, ParallelGrain, (start, end) => UpdateRange(new Span<float>(pp + start, end - start),
                new ReadOnlySpan<float>(gp + start, end - start), new Span<float>(mq + start, end - start), new Span<float>(vq + start, end - start),
                beta1, beta2, stepSize, invRootCorrection2, epsilon));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UpdateRange(Span<float> parameter, ReadOnlySpan<float> gradient, Span<float> m, Span<float> v,
        float beta1, float beta2, float stepSize, float invRootCorrection2, float epsilon)
    {
        int n = parameter.Length, j = 0;
        ref float p = ref MemoryMarshal.GetReference(parameter);
        ref float g = ref MemoryMarshal.GetReference(gradient);
        ref float mr = ref MemoryMarshal.GetReference(m);
        ref float vr = ref MemoryMarshal.GetReference(v);
        if (Vector256.IsHardwareAccelerated)
        {
            var b1 = Vector256.Create(beta1);
            var c1 = Vector256.Create(1 - beta1);
            var b2 = Vector256.Create(beta2);
            var c2 = Vector256.Create(1 - beta2);
            var step = Vector256.Create(stepSize);
            var scale = Vector256.Create(invRootCorrection2);
            var eps = Vector256.Create(epsilon);
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var gv = Vector256.LoadUnsafe(ref g, (nuint)j);
                var mv = b1 * Vector256.LoadUnsafe(ref mr, (nuint)j) + c1 * gv;
                var vv = b2 * Vector256.LoadUnsafe(ref vr, (nuint)j) + c2 * gv * gv;
                mv.StoreUnsafe(ref mr, (nuint)j);
                vv.StoreUnsafe(ref vr, (nuint)j);
                (Vector256.LoadUnsafe(ref p, (nuint)j) - step * mv / (Vector256.Sqrt(vv) * scale + eps)).StoreUnsafe(ref p, (nuint)j);
            }
        }
        for (; j < n; j++)
        {
            float gj = Unsafe.Add(ref g, j);
            float mj = Unsafe.Add(ref mr, j) = beta1 * Unsafe.Add(ref mr, j) + (1 - beta1) * gj;
            float vj = Unsafe.Add(ref vr, j) = beta2 * Unsafe.Add(ref vr, j) + (1 - beta2) * gj * gj;
            Unsafe.Add(ref p, j) -= stepSize * mj / (MathF.Sqrt(vj) * invRootCorrection2 + epsilon);
        }
    }
}
