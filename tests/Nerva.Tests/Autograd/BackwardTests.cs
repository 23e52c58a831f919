namespace Nerva.Tests.AutogradTests;

public class BackwardTests
{
    [Fact]
    public void GradientsAccumulateAcrossBackwardCallsUntilZeroed()
    {
        var x = Tensor.FromArray([1f, 2f, 3f]).RequiresGrad_();
        (x * 2f).Sum().Backward();
        (x * 3f).Sum().Backward();
        Assert.Equal([5f, 5f, 5f], x.Grad!.ToArray());
        x.ZeroGrad();
        Assert.Null(x.Grad);
    }

    [Fact]
    public void ATensorUsedTwiceGetsBothContributions()
    {
        var x = Tensor.FromArray([3f]).RequiresGrad_();
        var y = x * x + x; // dy/dx = 2x + 1
        y.Sum().Backward();
        Assert.Equal(7f, x.Grad!.Item());
    }

    [Fact]
    public void DiamondGraphSumsPaths()
    {
        var x = Tensor.FromArray([0.5f, -1f]).RequiresGrad_();
        var a = x.Exp();
        var b = a * 2f;
        var c = a.Square();
        (b + c).Sum().Backward(); // d/dx = 2eˣ + 2e²ˣ
        var expected = x.ToArray().Select(v => 2 * MathF.Exp(v) + 2 * MathF.Exp(2 * v)).ToArray();
        Assert.Equal(expected, x.Grad!.ToArray(), (p, q) => Math.Abs(p - q) < 1e-5);
    }

    [Fact]
    public void BroadcastGradientIsReducedToTheInputShape()
    {
        var x = Tensor.Ones(2, 3).RequiresGrad_();
        var bias = Tensor.Zeros(3).RequiresGrad_();
        (x + bias).Sum().Backward();
        Assert.Equal([3], bias.Grad!.Shape);
        Assert.Equal([2f, 2f, 2f], bias.Grad.ToArray());
    }

    [Fact]
    public void BackwardTwiceWithoutRetainGraphIsAClearError()
    {
        var x = Tensor.FromArray([1f, 2f]).RequiresGrad_();
        var loss = (x * x).Sum();
        loss.Backward();
        var error = Assert.Throws<InvalidOperationException>(() => loss.Backward());
        Assert.Contains("second time", error.Message);
        Assert.Contains("retainGraph", error.Message);
    }

    [Fact]
    public void RetainGraphAllowsASecondBackward()
    {
        var x = Tensor.FromArray([1f, 2f]).RequiresGrad_();
        var loss = (x * x).Sum();
        loss.Backward(retainGraph: true);
        loss.Backward();
        Assert.Equal([4f, 8f], x.Grad!.ToArray());
    }

    [Fact]
    public void NonScalarBackwardNeedsAGradient()
    {
        var x = Tensor.FromArray([1f, 2f]).RequiresGrad_();
        var y = x * 3f;
        Assert.Throws<InvalidOperationException>(() => y.Backward());
        y.Backward(Tensor.FromArray([1f, 10f]));
        Assert.Equal([3f, 30f], x.Grad!.ToArray());
    }

    [Fact]
    public void GradientOfTheWrongShapeIsRejected()
    {
        var y = Tensor.FromArray([1f, 2f]).RequiresGrad_() * 3f;
        var error = Assert.Throws<ArgumentException>(() => y.Backward(Tensor.Ones(3)));
        Assert.Contains("[2]", error.Message);
        Assert.Contains("[3]", error.Message);
    }

    [Fact]
    public void BackwardOnATensorWithoutGraphIsAnError() =>
        Assert.Throws<InvalidOperationException>(() => Tensor.Ones(1).Backward());

    [Fact]
    public void NoGradStopsRecordingAndNests()
    {
        var x = Tensor.Ones(2).RequiresGrad_();
        using (Autograd.NoGrad())
        {
            using (Autograd.NoGrad()) Assert.False((x * 2f).RequiresGrad);
            Assert.False((x * 2f).RequiresGrad);
        }
        Assert.True(Autograd.IsEnabled);
        Assert.True((x * 2f).RequiresGrad);
    }

    [Fact]
    public void DetachCutsTheGraphAndSharesValues()
    {
        var x = Tensor.FromArray([2f]).RequiresGrad_();
        var d = (x * 3f).Detach();
        Assert.False(d.RequiresGrad);
        Assert.True(d.IsLeaf);
        var y = x * d; // d is a constant 6
        y.Sum().Backward();
        Assert.Equal(6f, x.Grad!.Item());
    }

    [Fact]
    public void OnlyLeavesReceiveGrad()
    {
        var x = Tensor.FromArray([1f]).RequiresGrad_();
        var hidden = x * 2f;
        (hidden * 3f).Sum().Backward();
        Assert.Null(hidden.Grad);
        Assert.Equal(6f, x.Grad!.Item());
    }

    [Fact]
    public void ADeepChainDoesNotOverflowTheStack()
    {
        var x = Tensor.FromArray([1f]).RequiresGrad_();
        var y = x;
        for (int i = 0; i < 20_000; i++) y = y + 0f;
        y.Sum().Backward();
        Assert.Equal(1f, x.Grad!.Item());
    }

    [Fact]
    public void InPlaceUpdateOfATensorThatRequiresGradNeedsNoGrad()
    {
        var w = Tensor.Ones(2).RequiresGrad_();
        Assert.Throws<InvalidOperationException>(() => w.Sub_(Tensor.Ones(2)));
        using (Autograd.NoGrad()) w.Sub_(Tensor.Ones(2), alpha: 0.5f);
        Assert.Equal([0.5f, 0.5f], w.ToArray());
    }

    [Fact]
    public void GradientCheckIsUsableOnAUserComposition()
    {
        var result = GradientCheck.Run(x => (x[0].MatMul(x[1]).Tanh() + x[0].Sum()).Softmax(1),
            [Tensor.RandomNormal([2, 3], seed: 1), Tensor.RandomNormal([3, 4], seed: 2)]);
        Assert.True(result.Passed, result.Message);
    }
}
