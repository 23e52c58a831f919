using Nerva.Data.Selection;
using static Nerva.Tests.Data.SklearnFixture;

namespace Nerva.Tests.Data.Selection;

/// <summary>ClassWeights against scikit-learn; random over- and under-sampling; CrossValidate.</summary>
public class ClassBalanceTests
{
    [Fact]
    public void ClassWeightsMatchSklearn()
    {
        var c = Case("class_weight");
        var labels = Tensor.FromArray(Floats(c.GetProperty("labels")));
        var weights = ClassWeights.Compute("balanced", labels);
        Assert.Equal(Ints(c.GetProperty("classes")), weights.Keys);
        AssertClose(Floats(c.GetProperty("weights")), weights.Values.ToArray(), "weights");

        var perSample = ClassWeights.ComputeSampleWeights("balanced", labels);
        Assert.Equal(weights[5], perSample[labels.Shape[0] - 1]);
        Assert.Equal(weights[0], perSample[0]);
        Assert.Throws<ArgumentException>(() => ClassWeights.Compute("auto", labels));
        Assert.Throws<ArgumentException>(() => ClassWeights.Compute("balanced", Tensor.FromArray([0.5f, 1f])));
    }

    private static readonly Tensor Y = Tensor.FromArray([0f, 1f, 0f, 0f, 2f, 0f, 0f, 1f, 0f, 0f], 10, 1);
    private static readonly Tensor X = Tensor.FromArray(Enumerable.Range(0, 20).Select(i => (float)(i / 2)).ToArray(), 10, 2);

    [Fact]
    public void OverSamplingEqualisesToTheMajority()
    {
        var (x, y) = Resampling.RandomOverSample(X, Y, seed: 1);
        Assert.Equal([21, 2], x.Shape);
        Assert.Equal([21, 1], y.Shape);
        Assert.Equal([7, 7, 7], Counts(y));
        // The originals come first, in order; every added row keeps its label.
        Assert.Equal(X.ToArray(), x.ToArray()[..20]);
        for (int i = 0; i < 21; i++) Assert.Equal(Y[(int)x[i, 0], 0], y[i, 0]);
        Assert.Equal(Resampling.OverSampleIndices(Y, seed: 1), Resampling.OverSampleIndices(Y, seed: 1));
    }

    [Fact]
    public void UnderSamplingEqualisesToTheMinority()
    {
        var (x, y) = Resampling.RandomUnderSample(X, Y, seed: 2);
        Assert.Equal([3, 2], x.Shape);
        Assert.Equal([1, 1, 1], Counts(y));
        var kept = Resampling.UnderSampleIndices(Y, seed: 2);
        Assert.Equal(kept.Order(), kept);
        Assert.Equal(kept.Length, kept.Distinct().Count());
        Assert.Contains(4, kept);
    }

    [Fact]
    public void CrossValidateTrainsOncePerFoldOnDisjointData()
    {
        var x = Tensor.FromArray(Enumerable.Range(0, 30).Select(i => (float)i).ToArray(), 30, 1);
        var y = Tensor.FromArray(Enumerable.Range(0, 30).Select(i => (float)(i % 3)).ToArray());
        var seen = new List<float>();
        var result = CrossValidation.CrossValidate((xTr, yTr, xTe, yTe) =>
        {
            Assert.Equal(24, xTr.Shape[0]);
            Assert.Equal(6, yTe.Shape[0]);
            Assert.Empty(xTr.ToArray().Intersect(xTe.ToArray()));
            for (int i = 0; i < 6; i++) Assert.Equal(xTe[i, 0] % 3, yTe[i]);
            seen.AddRange(xTe.ToArray());
            return xTe[0, 0];
        }, x, y, new StratifiedKFold(5));
        Assert.Equal(x.ToArray(), seen.Order());
        Assert.Equal(5, result.Scores.Count);
        Assert.Equal(result.Scores.Average(), result.Mean, 4);
        double std = Math.Sqrt(result.Scores.Select(s => (s - result.Mean) * (s - result.Mean)).Average());
        Assert.Equal(std, result.Std, 3);
    }

    private static int[] Counts(Tensor y) =>
        y.ToArray().GroupBy(v => v).OrderBy(g => g.Key).Select(g => g.Count()).ToArray();
}
