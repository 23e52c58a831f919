using Nerva.Losses;

namespace Nerva.Tests.Losses;

/// <summary>Loss names, configuration, sample weights, numerical extremes and error messages.</summary>
public class LossTests
{
    public static TheoryData<string, Type> KerasNames() => new()
    {
        { "mse", typeof(MeanSquaredError) }, { "mean_squared_error", typeof(MeanSquaredError) },
        { "mae", typeof(MeanAbsoluteError) }, { "mean_absolute_error", typeof(MeanAbsoluteError) },
        { "huber", typeof(Huber) }, { "binary_crossentropy", typeof(BinaryCrossentropy) },
        { "categorical_crossentropy", typeof(CategoricalCrossentropy) },
        { "sparse_categorical_crossentropy", typeof(SparseCategoricalCrossentropy) },
        { "kl_divergence", typeof(KLDivergence) }, { "kld", typeof(KLDivergence) }, { "hinge", typeof(Hinge) },
        { "SparseCategoricalCrossentropy", typeof(SparseCategoricalCrossentropy) }, { "Huber", typeof(Huber) },
    };

    [Theory]
    [MemberData(nameof(KerasNames))]
    public void KerasStringsResolve(string name, Type type)
    {
        var loss = LossRegistry.Get(name);
        Assert.IsType(type, loss);
        Assert.Equal(loss.Name, LossRegistry.Get(loss.Name).Name); // the canonical name resolves to itself
        Loss implicitly = name;
        Assert.IsType(type, implicitly);
    }

    [Fact]
    public void UnknownNameListsTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => LossRegistry.Get("cross_entropy"));
        Assert.Contains("cross_entropy", error.Message);
        Assert.Contains("sparse_categorical_crossentropy", error.Message);
        Assert.Contains("mse", error.Message);
    }

    [Fact]
    public void GetConfigReturnsTheConstructorArguments()
    {
        Assert.Equal(0.3f, new Huber(0.3f).GetConfig()["delta"]);
        var bce = new BinaryCrossentropy(fromLogits: true, labelSmoothing: 0.1f).GetConfig();
        Assert.Equal(true, bce["from_logits"]);
        Assert.Equal(0.1f, bce["label_smoothing"]);
        Assert.Equal(false, new CategoricalCrossentropy().GetConfig()["from_logits"]);
        Assert.Equal(true, new SparseCategoricalCrossentropy(fromLogits: true).GetConfig()["from_logits"]);
        Assert.Empty(new MeanSquaredError().GetConfig());
    }

    [Fact]
    public void MismatchedShapesNameTheLossAndBothShapes()
    {
        var cases = new (Loss Loss, Tensor YTrue, Tensor YPred, string Name)[]
        {
            (new MeanSquaredError(), Tensor.Zeros(4, 3), Tensor.Zeros(4, 2), "MeanSquaredError"),
            (new MeanAbsoluteError(), Tensor.Zeros(4, 3), Tensor.Zeros(4, 2), "MeanAbsoluteError"),
            (new Huber(), Tensor.Zeros(4, 3), Tensor.Zeros(4, 2), "Huber"),
            (new BinaryCrossentropy(), Tensor.Zeros(4, 3), Tensor.Zeros(4, 2), "BinaryCrossentropy"),
            (new CategoricalCrossentropy(), Tensor.Zeros(4, 3), Tensor.Zeros(4, 2), "CategoricalCrossentropy"),
            (new KLDivergence(), Tensor.Zeros(4, 3), Tensor.Zeros(4, 2), "KLDivergence"),
            (new Hinge(), Tensor.Zeros(4, 3), Tensor.Zeros(4, 2), "Hinge"),
            (new MeanSquaredError(), Tensor.Zeros(4, 6), Tensor.Zeros(4, 2, 3), "MeanSquaredError"), // same size is not enough
        };
        foreach (var (loss, yTrue, yPred, name) in cases)
        {
            var error = Assert.Throws<ArgumentException>(() => loss.Call(yTrue, yPred));
            Assert.Contains(name, error.Message);
            Assert.Contains(Format(yTrue.Shape), error.Message);
            Assert.Contains(Format(yPred.Shape), error.Message);
        }
    }

    [Fact]
    public void SparseLabelsAreChecked()
    {
        var loss = new SparseCategoricalCrossentropy(fromLogits: true);
        var error = Assert.Throws<ArgumentException>(() => loss.Call(Tensor.Zeros(3), Tensor.Zeros(4, 2)));
        Assert.Contains("SparseCategoricalCrossentropy", error.Message);
        Assert.Contains("[3]", error.Message);
        Assert.Contains("[4, 2]", error.Message);
        Assert.Throws<ArgumentException>(() => loss.Call(Tensor.FromArray([0, 2], 2), Tensor.Zeros(2, 2)));   // class 2 of 2
        Assert.Throws<ArgumentException>(() => loss.Call(Tensor.FromArray([0, -1], 2), Tensor.Zeros(2, 2)));  // negative
        Assert.Throws<ArgumentException>(() => loss.Call(Tensor.FromArray([0, 0.5f], 2), Tensor.Zeros(2, 2))); // not an index
        Assert.Throws<ArgumentException>(() => loss.Call(Tensor.Zeros(4), Tensor.Zeros(4)));                  // no class axis
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new Huber(0f));
        Assert.Throws<ArgumentException>(() => new BinaryCrossentropy(labelSmoothing: 1.5f).Call(Tensor.Zeros(2, 1), Tensor.Zeros(2, 1)));
        Assert.Throws<ArgumentException>(() => new CategoricalCrossentropy(labelSmoothing: -0.1f).Call(Tensor.Zeros(2, 3), Tensor.Zeros(2, 3)));
        var error = Assert.Throws<ArgumentException>(() => new MeanSquaredError().Call(Tensor.Zeros(4, 2), Tensor.Zeros(4, 2), Tensor.Ones(3)));
        Assert.Contains("MeanSquaredError", error.Message);
        Assert.Contains("[3]", error.Message);
    }

    [Fact]
    public void SampleWeightsScaleEachSampleAndDivideByTheBatch()
    {
        var yTrue = Tensor.FromArray([0, 0, 0, 0], 4, 1);
        var yPred = Tensor.FromArray([1, 2, 3, 4], 4, 1); // squared errors 1, 4, 9, 16
        Assert.Equal(7.5f, new MeanSquaredError().Call(yTrue, yPred).Item(), 5);
        // sum_over_batch_size: (1·1 + 4·0 + 9·2 + 16·0.5) / 4, the zero-weighted sample still counted
        Assert.Equal(27f / 4, new MeanSquaredError().Call(yTrue, yPred, Tensor.FromArray([1, 0, 2, 0.5f], 4)).Item(), 5);
        Assert.Equal(27f / 4, new MeanSquaredError().Call(yTrue, yPred, Tensor.FromArray([1, 0, 2, 0.5f], 4, 1)).Item(), 5);
    }

    [Fact]
    public void ClassWeightsAsSampleWeightsMatchWeightedCrossEntropy()
    {
        // A class weight is the sample weight of every sample of that class.
        var logits = Tensor.FromArray([2, -1, 0.5f, 0, 1, -2, -1, 3, 0.2f], 3, 3);
        var labels = Tensor.FromArray([0, 2, 1], 3);
        float[] classWeight = [1f, 3f, 0.5f];
        var weights = Tensor.FromArray([classWeight[0], classWeight[2], classWeight[1]], 3);
        var perSample = LossFunctions.SparseCategoricalCrossentropy(labels, logits, fromLogits: true).ToArray();
        float expected = (perSample[0] * 1f + perSample[1] * 0.5f + perSample[2] * 3f) / 3;
        Assert.Equal(expected, new SparseCategoricalCrossentropy(fromLogits: true).Call(labels, logits, weights).Item(), 5);
    }

    [Fact]
    public void ExtremeInputsStayFinite()
    {
        var logits = Tensor.FromArray([50, -50, -50, 50, 50, -50], 2, 3).RequiresGrad_();
        var loss = new CategoricalCrossentropy(fromLogits: true).Call(Tensor.FromArray([0, 0, 1, 1, 0, 0], 2, 3), logits);
        loss.Backward();
        Assert.True(float.IsFinite(loss.Item()));
        Assert.All(logits.Grad!.ToArray(), g => Assert.True(float.IsFinite(g)));

        var probabilities = Tensor.FromArray([0, 1, 1, 0], 4, 1).RequiresGrad_();
        var bce = new BinaryCrossentropy().Call(Tensor.FromArray([1, 0, 1, 0], 4, 1), probabilities);
        bce.Backward();
        Assert.True(float.IsFinite(bce.Item()));
        Assert.All(probabilities.Grad!.ToArray(), g => Assert.True(float.IsFinite(g)));

        var kld = new KLDivergence().Call(Tensor.FromArray([1, 0, 0, 1], 2, 2), Tensor.FromArray([0, 1, 1, 0], 2, 2));
        Assert.True(float.IsFinite(kld.Item()));
    }

    [Fact]
    public void PerSampleLossesHaveOneValuePerSample()
    {
        var y = Tensor.FromArray([0, 1, 0, 0, 0, 1], 2, 3);
        var p = Tensor.FromArray([0.2f, 0.5f, 0.3f, 0.1f, 0.1f, 0.8f], 2, 3);
        foreach (var perSample in new[]
        {
            LossFunctions.MeanSquaredError(y, p), LossFunctions.MeanAbsoluteError(y, p), LossFunctions.Huber(y, p),
            LossFunctions.BinaryCrossentropy(y, p), LossFunctions.CategoricalCrossentropy(y, p), LossFunctions.KLDivergence(y, p),
            LossFunctions.Hinge(y, p), LossFunctions.SparseCategoricalCrossentropy(Tensor.FromArray([1, 2], 2), p),
        })
            Assert.Equal([2], perSample.Shape);
    }

    [Fact]
    public void TargetsNeverReceiveGradients()
    {
        var yTrue = Tensor.FromArray([0.2f, 0.8f], 1, 2).RequiresGrad_();
        var yPred = Tensor.FromArray([0.4f, 0.6f], 1, 2).RequiresGrad_();
        new KLDivergence().Call(yTrue, yPred).Backward();
        Assert.Null(yTrue.Grad);
        Assert.NotNull(yPred.Grad);
    }

    private static string Format(int[] shape) => "[" + string.Join(", ", shape) + "]";
}
