using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Regularizers;

namespace Nerva.Tests.Layers;

public class LayerTests
{
    [Fact]
    public void DenseBuildsLazilyWithKerasLayouts()
    {
        var dense = new Dense(4, "relu");
        Assert.False(dense.Built);
        var y = dense.Forward(Tensor.Ones(2, 3));
        Assert.Equal([2, 4], y.Shape);
        Assert.Equal([3, 4], dense.Weights[0].Shape);
        Assert.Equal([4], dense.Weights[1].Shape);
        Assert.Equal(16, dense.CountParameters());
        Assert.All(dense.Parameters, p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void WrongInputShapeNamesTheLayer()
    {
        var dense = new Dense(2, name: "head");
        dense.Forward(Tensor.Ones(1, 3));
        var error = Assert.Throws<ArgumentException>(() => dense.Forward(Tensor.Ones(1, 5)));
        Assert.Contains("head", error.Message);
        Assert.Contains("[1, 5]", error.Message);
    }

    [Fact]
    public void SetWeightsChecksCountAndShapes()
    {
        var dense = new Dense(2);
        dense.Build(3);
        Assert.Throws<ArgumentException>(() => dense.SetWeights(Tensor.Zeros(3, 2)));
        Assert.Contains("[3, 2]", Assert.Throws<ArgumentException>(() => dense.SetWeights(Tensor.Zeros(2, 3), Tensor.Zeros(2))).Message);
        dense.SetWeights(Tensor.Ones(3, 2), Tensor.Zeros(2));
        Assert.Equal([3f, 3f], dense.Forward(Tensor.Ones(1, 3)).ToArray());
    }

    [Fact]
    public void NamesFollowKeras()
    {
        Assert.StartsWith("dense", new Dense(1).Name);
        Assert.StartsWith("layer_normalization", new LayerNormalization().Name);
        Assert.StartsWith("repeat_vector", new RepeatVector(2).Name);
        Assert.NotEqual(new Dense(1).Name, new Dense(1).Name);
    }

    private sealed class TwoLayerNet : Layer
    {
        private readonly Dense hidden = new(8, "relu");
        private readonly Dense output = new(2);

        public override Tensor Forward(Tensor input, bool training = false) => output.Forward(hidden.Forward(input, training), training);
    }

    [Fact]
    public void SubLayersInFieldsAreFoundAutomatically()
    {
        var net = new TwoLayerNet();
        net.Forward(Tensor.Ones(1, 4));
        Assert.Equal(2, net.SubLayers.Count);
        Assert.Equal(4, net.Parameters.Count);
        Assert.Equal([4, 8], net.Parameters[0].Shape);
        net.Trainable = false;
        Assert.Empty(net.Parameters);
        Assert.Equal(4, net.NonTrainableWeights.Count);
    }

    [Fact]
    public void DropoutOnlyActsInTraining()
    {
        var dropout = new Dropout(0.5f, seed: 1);
        var x = Tensor.Ones(1000);
        Assert.Equal(x.ToArray(), dropout.Forward(x.Reshape(1, -1)).Reshape(-1).ToArray());
        var y = dropout.Forward(x.Reshape(1, -1), training: true).ToArray();
        Assert.All(y, v => Assert.True(v == 0f || v == 2f));
        Assert.InRange(y.Count(v => v == 0f), 400, 600);
    }

    [Fact]
    public void RegularizersAddTheirPenalty()
    {
        var dense = new Dense(2, kernelRegularizer: new L2(0.5f), biasRegularizer: "l1");
        dense.Build(2);
        dense.SetWeights(Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2), Tensor.FromArray([-1f, 1f]));
        Assert.Equal(0.5f * 30f + 0.01f * 2f, dense.RegularizationLoss().Item(), 4);
    }

    [Fact]
    public void LambdaAndActivationLayersApplyTheirFunctions()
    {
        Assert.Equal([0f, 2f], new Activation("relu").Forward(Tensor.FromArray([-1f, 2f], 1, 2)).ToArray());
        Assert.Equal([2f, 4f], new Lambda(x => x * 2f).Forward(Tensor.FromArray([1f, 2f], 1, 2)).ToArray());
        Assert.Throws<ArgumentException>(() => Activations.Get("nope"));
    }

    [Theory]
    [InlineData("glorot_uniform", 2.0 / (300 + 200))]
    [InlineData("glorot_normal", 2.0 / (300 + 200))]
    [InlineData("he_uniform", 2.0 / 300)]
    [InlineData("he_normal", 2.0 / 300)]
    [InlineData("lecun_normal", 1.0 / 300)]
    [InlineData("lecun_uniform", 1.0 / 300)]
    public void VarianceScalingInitializersHaveTheKerasVariance(string name, double variance)
    {
        var w = Initializer.Get(name).Create(300, 200);
        Assert.InRange(w.Var().Item(), variance * 0.95, variance * 1.05);
        Assert.InRange(w.Mean().Item(), -0.01, 0.01);
    }

    [Fact]
    public void SeededInitializersRepeatAndOrthogonalIsOrthogonal()
    {
        Assert.Equal(new GlorotUniform { Seed = 3 }.Create(4, 5).ToArray(), new GlorotUniform { Seed = 3 }.Create(4, 5).ToArray());
        foreach (var shape in new[] { new[] { 6, 4 }, new[] { 4, 6 } })
        {
            var q = new Orthogonal { Seed = 1 }.Create(shape);
            var gram = shape[0] >= shape[1] ? q.T.MatMul(q) : q.MatMul(q.T);
            var eye = Tensor.Eye(Math.Min(shape[0], shape[1]));
            Assert.True((gram - eye).Abs().Max().Item() < 1e-5f);
        }
        Assert.Equal([2f, 2f], new Constant(2f).Create(2).ToArray());
        Assert.Throws<ArgumentException>(() => Initializer.Get("nope"));
    }

    [Fact]
    public void AugmentationAndDropoutLayersActOnlyInTraining()
    {
        var images = Tensor.RandomNormal([4, 3, 5, 2], seed: 1);
        var flip = new RandomFlip("horizontal", seed: 2);
        Assert.Equal(images.ToArray(), flip.Forward(images).ToArray());
        var flipped = flip.Forward(images, training: true);
        for (int n = 0; n < 4; n++)
        {
            bool same = images[n, 1, 0, 1] == flipped[n, 1, 0, 1], mirrored = images[n, 1, 0, 1] == flipped[n, 1, 4, 1];
            Assert.True(same || mirrored);
        }
        var spatial = new SpatialDropout2D(0.5f, seed: 3);
        Assert.Equal(images.ToArray(), spatial.Forward(images).ToArray());
        var dropped = new SpatialDropout2D(0.5f, seed: 3).Forward(Tensor.Ones(8, 3, 3, 16), training: true);
        // Whole channels go together: every pixel of a channel has the same value.
        for (int n = 0; n < 8; n++)
            for (int c = 0; c < 16; c++)
                Assert.Equal(dropped[n, 0, 0, c], dropped[n, 2, 1, c]);
        Assert.Equal([0.5f, 1.5f], new Rescaling(0.5f, 0.5f).Forward(Tensor.FromArray([0f, 2f], 1, 2)).ToArray());
    }

    [Fact]
    public void BatchNormalizationHasKerasWeightsAndUsesMovingStatisticsAtInference()
    {
        var bn = new BatchNormalization();
        var x = Tensor.RandomNormal([16, 3], mean: 5f, std: 2f, seed: 1);
        bn.Forward(x, training: true);
        Assert.Equal(2, bn.Parameters.Count);
        Assert.Equal(4, bn.Weights.Count);
        Assert.Equal([3], bn.NonTrainableWeights[0].Shape);
        // One step moves the moving mean 1% of the way to the batch mean.
        Assert.Equal(x.Mean(0).ToArray().Select(m => 0.01f * m), bn.NonTrainableWeights[0].ToArray(), (a, b) => Math.Abs(a - b) < 1e-5);
        var inference = bn.Forward(x);
        Assert.True(inference.Mean().Item() > 1f); // still far from normalised: the moving mean is near 0
    }
}
