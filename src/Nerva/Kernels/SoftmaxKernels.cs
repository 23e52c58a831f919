using System.Numerics.Tensors;

namespace Nerva.Kernels;

/// <summary>Softmax and log-softmax along one axis of a block viewed as [outer, n, inner], shifted by the maximum for stability.</summary>
public static class SoftmaxKernels
{
    public static void Softmax(ReadOnlySpan<float> x, int outer, int n, int inner, Span<float> y) => Run(x, outer, n, inner, y, log: false);

    public static void LogSoftmax(ReadOnlySpan<float> x, int outer, int n, int inner, Span<float> y) => Run(x, outer, n, inner, y, log: true);

    private static void Run(ReadOnlySpan<float> x, int outer, int n, int inner, Span<float> y, bool log)
    {
        if (n == 0) return;
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++) Row(x.Slice(o * n, n), y.Slice(o * n, n), log);
            return;
        }
        // Strided axis: gather each column into a scratch row, reduce, scatter back.
        Span<float> column = n <= 1024 ? stackalloc float[n] : new float[n];
        for (int o = 0; o < outer; o++)
        {
            for (int i = 0; i < inner; i++)
            {
                int baseIndex = o * n * inner + i;
                for (int j = 0; j < n; j++) column[j] = x[baseIndex + j * inner];
                Row(column, column, log);
                for (int j = 0; j < n; j++) y[baseIndex + j * inner] = column[j];
            }
        }
    }

    private static void Row(ReadOnlySpan<float> x, Span<float> y, bool log)
    {
        float max = TensorPrimitives.Max(x);
        if (float.IsNegativeInfinity(max)) max = 0; // an all -inf row: avoid -inf - -inf = NaN
        TensorPrimitives.Subtract(x, max, y);
        if (log)
        {
            // log softmax = (x - max) - log Σ e^(x - max), without dividing.
            float logSum = MathF.Log(SumOfExp(y));
            TensorPrimitives.Subtract(y, logSum, y);
        }
        else
        {
            TensorPrimitives.Exp(y, y);
            TensorPrimitives.Multiply(y, 1f / TensorPrimitives.Sum(y), y);
        }
    }

    private static float SumOfExp(ReadOnlySpan<float> shifted)
    {
        float sum = 0;
        foreach (float v in shifted) sum += MathF.Exp(v);
        return sum;
    }
}
