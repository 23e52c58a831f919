namespace Nerva.Tests.Ops;

/// <summary>
/// The fused batch-norm op against the same formula composed from elementwise ops, on a batch large
/// enough to be split across threads (the PyTorch fixtures and gradient checks use small ones).
/// </summary>
public class BatchNormTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FusedOpMatchesComposedFormulaOnLargeBatches(bool training)
    {
        int[] shape = [64, 16, 16, 24];
        var x = (Tensor.RandomNormal(shape, seed: 1) * 3f + 2f).Detach();
        var gamma = Tensor.RandomUniform([24], 0.5f, 1.5f, seed: 2);
        var beta = Tensor.RandomUniform([24], -1f, 1f, seed: 3);
        var runningMean = Tensor.RandomUniform([24], 1f, 3f, seed: 4);
        var runningVariance = Tensor.RandomUniform([24], 5f, 12f, seed: 5);
        var upstream = Tensor.RandomNormal(shape, seed: 6);

        var (fx, fg, fb) = Leaves(x, gamma, beta);
        var fused = fx.BatchNorm(training ? null : runningMean, training ? null : runningVariance, fg, fb, 1e-3f, out var batchMean, out var batchVariance);
        (fused * upstream).Sum().Backward();

        var (cx, cg, cb) = Leaves(x, gamma, beta);
        var rows = cx.Reshape(-1, 24);
        var mean = training ? rows.Mean(0) : runningMean;
        var variance = training ? rows.Var(0, unbiased: false) : runningVariance;
        var composed = (cx - mean) / (variance + 1e-3f).Sqrt() * cg + cb;
        (composed * upstream).Sum().Backward();

        Close(composed.ToArray(), fused.ToArray(), 1e-4, "output");
        Close(cx.Grad!.ToArray(), fx.Grad!.ToArray(), 1e-4, "dx");
        Close(cg.Grad!.ToArray(), fg.Grad!.ToArray(), 1e-2, "dgamma");
        Close(cb.Grad!.ToArray(), fb.Grad!.ToArray(), 1e-2, "dbeta");
        if (training)
        {
            Close(mean.ToArray(), batchMean!.ToArray(), 1e-4, "batch mean");
            Close(variance.ToArray(), batchVariance!.ToArray(), 1e-3, "batch variance");
        }
    }

    /// <summary>Every value within tolerance·(1 + |expected|).</summary>
    private static void Close(float[] expected, float[] actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * (1 + Math.Abs(expected[i])),
                $"{what}[{i}]: fused {actual[i]}, composed {expected[i]}");
    }

    private static (Tensor, Tensor, Tensor) Leaves(Tensor x, Tensor gamma, Tensor beta) =>
        (new Tensor(x.ToArray(), x.Shape) { RequiresGrad = true }, new Tensor(gamma.ToArray(), [24]) { RequiresGrad = true },
            new Tensor(beta.ToArray(), [24]) { RequiresGrad = true });
}
