namespace Nerva.Tests.Ops;

/// <summary>Dense's fused op against the same graph built from separate ops.</summary>
public class LinearTests
{
    [Theory]
    [InlineData(FusedActivation.None)]
    [InlineData(FusedActivation.Relu)]
    [InlineData(FusedActivation.Sigmoid)]
    [InlineData(FusedActivation.Tanh)]
    internal void MatchesSeparateOps_AndAddsIntoExistingGradients(FusedActivation activation)
    {
        // Two backward passes: the first creates the gradient buffers, the second must add into them
        // (the path Fit takes, with gradients zeroed in place), for a 3-D input of 2×70 rows.
        var x = Tensor.RandomNormal([2, 70, 33], seed: 1);
        var (k1, b1) = (Tensor.RandomNormal([33, 20], seed: 2).RequiresGrad_(), Tensor.RandomNormal([20], seed: 3).RequiresGrad_());
        var (k2, b2) = (k1.Detach().Clone().RequiresGrad_(), b1.Detach().Clone().RequiresGrad_());
        var x1 = x.Clone().RequiresGrad_();
        var x2 = x.Clone().RequiresGrad_();
        var g = Tensor.RandomNormal([2, 70, 20], seed: 4);
        Tensor fused = null!, separate = null!;
        for (int pass = 0; pass < 2; pass++)
        {
            fused = Tensor.Linear(x1, k1, b1, activation);
            var z = x2.MatMul(k2) + b2;
            separate = activation switch
            {
                FusedActivation.Relu => z.Relu(),
                FusedActivation.Sigmoid => z.Sigmoid(),
                FusedActivation.Tanh => z.Tanh(),
                _ => z,
            };
            (fused * g).Sum().Backward();
            (separate * g).Sum().Backward();
        }
        AssertClose(separate, fused);
        AssertClose(x2.Grad!, x1.Grad!);
        AssertClose(k2.Grad!, k1.Grad!);
        AssertClose(b2.Grad!, b1.Grad!);
    }

    [Fact]
    public void ComputedOperands_AndABiasWithoutGradient_GetTheSeparateOpsGradients()
    {
        var x = Tensor.RandomNormal([5, 7], seed: 1);
        var k = Tensor.RandomNormal([7, 4], seed: 2).RequiresGrad_();
        var b = Tensor.RandomNormal([4], seed: 3).RequiresGrad_();
        var g = Tensor.RandomNormal([5, 4], seed: 4);
        (Tensor K, Tensor B) Grads(Func<Tensor> forward)
        {
            k.ZeroGrad();
            b.ZeroGrad();
            (forward() * g).Sum().Backward();
            return (k.Grad!.Clone(), b.Grad!.Clone());
        }
        // Kernel and bias computed by other ops: their gradients are new tensors, passed on to k and b.
        var fused = Grads(() => Tensor.Linear(x, k * 1.5f, b * 2f, FusedActivation.Tanh));
        var separate = Grads(() => (x.MatMul(k * 1.5f) + b * 2f).Tanh());
        AssertClose(separate.K, fused.K);
        AssertClose(separate.B, fused.B);
        // A bias that takes no gradient, and an input that takes none: only the kernel's is computed.
        var constantBias = Tensor.RandomNormal([4], seed: 5);
        k.ZeroGrad();
        (Tensor.Linear(x, k, constantBias, FusedActivation.Relu) * g).Sum().Backward();
        var fusedKernelGrad = k.Grad!.Clone();
        k.ZeroGrad();
        ((x.MatMul(k) + constantBias).Relu() * g).Sum().Backward();
        AssertClose(k.Grad!, fusedKernelGrad);
        Assert.Null(constantBias.Grad);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void MismatchedShapes_NameTheOp()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Linear(Tensor.Zeros(2, 3), Tensor.Zeros(4, 5), null, FusedActivation.None));
        Assert.StartsWith("Linear:", ex.Message);
        Assert.Contains("[2, 3], [4, 5]", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Tensor.Linear(Tensor.Zeros(2, 3), Tensor.Zeros(3), null, FusedActivation.None));
        Assert.StartsWith("Linear:", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => Tensor.Linear(Tensor.Zeros(2, 3), Tensor.Zeros(3, 4), Tensor.Zeros(5), FusedActivation.Relu));
        Assert.Contains("and [5]", ex.Message);
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var (e, a) = (expected.ToArray(), actual.ToArray());
        for (int i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-4f * Math.Max(1, Math.Abs(e[i])), $"element {i}: expected {e[i]}, got {a[i]}");
    }
}
