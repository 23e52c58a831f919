using System.Numerics.Tensors;

namespace Nerva.Kernels;

/// <summary>
/// Reductions along one axis of a row-major block viewed as [outer, n, inner]: the axis has length
/// n and each output element y[o, i] reduces x[o, 0..n, i]. When inner is 1 each row is
/// contiguous and reduces with one TensorPrimitives call; otherwise whole inner rows combine
/// elementwise, which is also vectorised.
/// </summary>
public static class Reductions
{
    public static void Sum(ReadOnlySpan<float> x, int outer, int n, int inner, Span<float> y)
    {
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1)
            {
                y[o] = TensorPrimitives.Sum(x.Slice(o * n, n));
                continue;
            }
            var dst = y.Slice(o * inner, inner);
            dst.Clear();
            for (int j = 0; j < n; j++)
                TensorPrimitives.Add(dst, x.Slice((o * n + j) * inner, inner), dst);
        }
    }

    public static void Max(ReadOnlySpan<float> x, int outer, int n, int inner, Span<float> y) => Extreme(x, outer, n, inner, y, max: true);

    public static void Min(ReadOnlySpan<float> x, int outer, int n, int inner, Span<float> y) => Extreme(x, outer, n, inner, y, max: false);

    private static void Extreme(ReadOnlySpan<float> x, int outer, int n, int inner, Span<float> y, bool max)
    {
        if (n == 0) throw new ArgumentException("Max/Min: expected a non-empty dimension to reduce, got length 0.");
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1)
            {
                var row = x.Slice(o * n, n);
                y[o] = max ? TensorPrimitives.Max(row) : TensorPrimitives.Min(row);
                continue;
            }
            var dst = y.Slice(o * inner, inner);
            x.Slice(o * n * inner, inner).CopyTo(dst);
            for (int j = 1; j < n; j++)
            {
                var src = x.Slice((o * n + j) * inner, inner);
                if (max) TensorPrimitives.Max(dst, src, dst);
                else TensorPrimitives.Min(dst, src, dst);
            }
        }
    }

    /// <summary>Index (as a float) of the first largest value along the axis.</summary>
    public static void ArgMax(ReadOnlySpan<float> x, int outer, int n, int inner, Span<float> y) => ArgExtreme(x, outer, n, inner, y, max: true);

    /// <summary>Index (as a float) of the first smallest value along the axis.</summary>
    public static void ArgMin(ReadOnlySpan<float> x, int outer, int n, int inner, Span<float> y) => ArgExtreme(x, outer, n, inner, y, max: false);

    private static void ArgExtreme(ReadOnlySpan<float> x, int outer, int n, int inner, Span<float> y, bool max)
    {
        if (n == 0) throw new ArgumentException("ArgMax/ArgMin: expected a non-empty dimension to reduce, got length 0.");
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int baseIndex = o * n * inner + i, best = 0;
                float bestValue = x[baseIndex];
                for (int j = 1; j < n && !float.IsNaN(bestValue); j++)
                {
                    float v = x[baseIndex + j * inner];
                    // NaN wins, as in PyTorch; otherwise strictly better keeps the first index among ties.
                    if (float.IsNaN(v) || (max ? v > bestValue : v < bestValue))
                    {
                        bestValue = v;
                        best = j;
                    }
                }
                y[o * inner + i] = best;
            }
        }
    }
}
