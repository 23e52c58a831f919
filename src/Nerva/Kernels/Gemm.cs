namespace Nerva.Kernels;
public static class Gemm
{
    public static void Multiply(bool transA, bool transB, int m, int n, int k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, bool accumulate = false)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (double)(transB ? b[j * k + p] : b[p * n + j]);
                c[i * n + j] = (float)((accumulate ? c[i * n + j] : 0) + s);
            }
    }
}
