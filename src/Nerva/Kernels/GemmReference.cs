namespace Nerva.Kernels;

/// <summary>
/// Plain triple-loop GEMM with double accumulation: the slow, obviously correct answer that
/// tests compare <c>Gemm.Multiply</c> against.
/// </summary>
internal static class GemmReference
{
    public static void Multiply(bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate = false)
    {
        Gemm.Validate(m, n, k, a.Length, b.Length, c.Length);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[i * n + j] : 0;
                for (int p = 0; p < k; p++)
                    sum += (double)(transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] = (float)sum;
            }
    }
}
