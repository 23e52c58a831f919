using Nerva.Kernels;

namespace Nerva.Tests.Kernels;

public class AdamKernelTests
{
    [Fact]
    public void LargeParameter_UpdatedAcrossCores_MatchesSliceBySliceUpdate()
    {
        // 100,003 values take the multi-core path; slices of 1,000 stay on one thread. Each value's update
        // is the same arithmetic either way, so the results must be identical, step after step.
        const int n = 100_003;
        var random = new Random(3);
        float[] Fill(float scale) => Enumerable.Range(0, n).Select(_ => (random.NextSingle() - 0.5f) * scale).ToArray();
        var (p1, m1, v1) = (Fill(1), new float[n], new float[n]);
        var (p2, m2, v2) = ((float[])p1.Clone(), new float[n], new float[n]);
        for (int step = 1; step <= 3; step++)
        {
            var g = Fill(0.1f);
            float stepSize = 1e-3f / (1 - MathF.Pow(0.9f, step)), inv = 1 / MathF.Sqrt(1 - MathF.Pow(0.999f, step));
            AdamKernel.Update(p1, g, m1, v1, 0.9f, 0.999f, stepSize, inv, 1e-7f);
            for (int start = 0; start < n; start += 1000)
            {
                int len = Math.Min(1000, n - start);
                AdamKernel.Update(p2.AsSpan(start, len), g.AsSpan(start, len), m2.AsSpan(start, len), v2.AsSpan(start, len),
                    0.9f, 0.999f, stepSize, inv, 1e-7f);
            }
        }
        Assert.Equal(p2, p1);
        Assert.Equal(m2, m1);
        Assert.Equal(v2, v1);
    }
}
