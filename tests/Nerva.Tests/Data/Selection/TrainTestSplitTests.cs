using Nerva.Data.Selection;
using static Nerva.Tests.Data.SklearnFixture;

namespace Nerva.Tests.Data.Selection;

/// <summary>TrainTestSplit: sklearn's sizes, a disjoint and complete split, stratification, repeatability.</summary>
public class TrainTestSplitTests
{
    [Fact]
    public void SizesMatchSklearn()
    {
        foreach (var row in Case("split_sizes").GetProperty("rows").EnumerateArray())
        {
            var r = row.EnumerateArray().ToArray();
            int n = r[0].GetInt32();
            double testSize = r[1].GetDouble();
            var (train, test) = TrainTestSplit.Indices(n, testSize, seed: 0);
            Assert.True(r[2].GetInt32() == train.Length && r[3].GetInt32() == test.Length,
                $"n={n}, testSize={testSize}: expected {r[2]}/{r[3]}, got {train.Length}/{test.Length}");
        }
    }

    [Fact]
    public void SplitIsDisjointCompleteAndKeepsRowsTogether()
    {
        int n = 40;
        var x = Tensor.FromArray(Enumerable.Range(0, n * 3).Select(i => (float)i).ToArray(), n, 3);
        var y = Tensor.Arange(n);
        var (xTrain, xTest, yTrain, yTest) = TrainTestSplit.Split(x, y, testSize: 0.3, seed: 5);
        Assert.Equal([28, 3], xTrain.Shape);
        Assert.Equal([12, 3], xTest.Shape);
        var all = yTrain.ToArray().Concat(yTest.ToArray()).Order().ToArray();
        Assert.Equal(y.ToArray(), all);
        for (int i = 0; i < 12; i++) Assert.Equal(yTest[i] * 3 + 2, xTest[i, 2]);
        Assert.NotEqual(Enumerable.Range(28, 12).Select(i => (float)i), yTest.ToArray());
    }

    [Fact]
    public void SameSeedGivesTheSameSplit()
    {
        var a = TrainTestSplit.Indices(100, 0.2, seed: 42);
        var b = TrainTestSplit.Indices(100, 0.2, seed: 42);
        var c = TrainTestSplit.Indices(100, 0.2, seed: 43);
        Assert.Equal(a.TestIndices, b.TestIndices);
        Assert.Equal(a.TrainIndices, b.TrainIndices);
        Assert.NotEqual(a.TestIndices, c.TestIndices);
    }

    [Fact]
    public void WithoutShuffleTheLastSamplesTest()
    {
        var (train, test) = TrainTestSplit.Split(Tensor.Arange(10), testSize: 0.2, shuffle: false);
        Assert.Equal([0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f], train.ToArray());
        Assert.Equal([8f, 9f], test.ToArray());
    }

    [Fact]
    public void StratifiedSplitKeepsClassProportions()
    {
        // 150 samples: 90 of class 0, 45 of class 1, 15 of class 2 (60% / 30% / 10%).
        var y = Tensor.FromArray(Enumerable.Range(0, 150).Select(i => i % 10 < 6 ? 0f : i % 10 < 9 ? 1f : 2f).ToArray(), 150, 1);
        var x = Tensor.RandomNormal([150, 4], seed: 1);
        for (int seed = 0; seed < 5; seed++)
        {
            var (xTrain, xTest, yTrain, yTest) = TrainTestSplit.Split(x, y, testSize: 0.2, seed: seed, stratify: y);
            Assert.Equal([120, 4], xTrain.Shape);
            Assert.Equal([30, 1], yTest.Shape);
            Assert.Equal([18, 9, 3], Counts(yTest));
            Assert.Equal([72, 36, 12], Counts(yTrain));
        }
    }

    [Fact]
    public void StratifiedSharesRoundToTheTestSize()
    {
        // 7 / 7 / 7 with 5 test samples: shares 1.67 each, so two classes give 2 and one gives 1.
        var y = Tensor.FromArray(Enumerable.Range(0, 21).Select(i => (float)(i % 3)).ToArray());
        var (_, test) = TrainTestSplit.Indices(21, 0.2, seed: 0, stratify: y);
        Assert.Equal(5, test.Length);
        var counts = Counts(Tensor.FromArray(test.Select(i => y[i]).ToArray()));
        Assert.Equal([1, 2, 2], counts.Order());
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => TrainTestSplit.Indices(10, 0));
        Assert.Throws<ArgumentException>(() => TrainTestSplit.Indices(10, 1.5));
        Assert.Throws<ArgumentException>(() => TrainTestSplit.Split(Tensor.Zeros(10, 2), Tensor.Zeros(9)));
        var y = Tensor.FromArray([0f, 0f, 0f, 1f]);
        Assert.Throws<ArgumentException>(() => TrainTestSplit.Indices(4, 0.5, stratify: y));
        Assert.Throws<ArgumentException>(() => TrainTestSplit.Indices(4, 0.5, shuffle: false, stratify: Tensor.FromArray([0f, 0f, 1f, 1f])));
    }

    private static int[] Counts(Tensor y) =>
        y.ToArray().GroupBy(v => v).OrderBy(g => g.Key).Select(g => g.Count()).ToArray();
}
