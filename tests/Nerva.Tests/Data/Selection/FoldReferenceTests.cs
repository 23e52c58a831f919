using Nerva.Data.Selection;
using static Nerva.Tests.Data.SklearnFixture;

namespace Nerva.Tests.Data.Selection;

/// <summary>KFold and StratifiedKFold: unshuffled folds equal scikit-learn's; every sample is tested exactly once.</summary>
public class FoldReferenceTests
{
    public static TheoryData<string> KFoldCases => CaseNames("kfold_");
    public static TheoryData<string> StratifiedCases => CaseNames("stratified_kfold_");

    [Theory]
    [MemberData(nameof(KFoldCases))]
    public void KFoldMatchesSklearn(string name)
    {
        var c = Case(name);
        int n = c.GetProperty("n").GetInt32();
        var folds = new KFold(c.GetProperty("k").GetInt32()).Split(n).ToArray();
        AssertFolds(c.GetProperty("testFolds"), folds, n);
    }

    [Theory]
    [MemberData(nameof(StratifiedCases))]
    public void StratifiedKFoldMatchesSklearn(string name)
    {
        var c = Case(name);
        var labels = Floats(c.GetProperty("labels"));
        var folds = new StratifiedKFold(c.GetProperty("k").GetInt32()).Split(labels.Length, Tensor.FromArray(labels)).ToArray();
        AssertFolds(c.GetProperty("testFolds"), folds, labels.Length);
    }

    private static void AssertFolds(System.Text.Json.JsonElement expected, (int[] Train, int[] Test)[] folds, int n)
    {
        var tests = expected.EnumerateArray().Select(Ints).ToArray();
        Assert.Equal(tests.Length, folds.Length);
        for (int k = 0; k < folds.Length; k++)
        {
            Assert.Equal(tests[k], folds[k].Test);
            // sklearn's training indices are the ascending complement of the test fold.
            Assert.Equal(Enumerable.Range(0, n).Except(tests[k]), folds[k].Train);
        }
    }

    [Theory]
    [InlineData(10, 3, false)]
    [InlineData(97, 5, true)]
    [InlineData(5, 5, true)]
    public void EveryKFoldSampleIsTestedExactlyOnce(int n, int k, bool shuffle)
    {
        var folds = new KFold(k, shuffle, shuffle ? 7 : null).Split(n).ToArray();
        AssertPartition(folds, n, k);
    }

    [Fact]
    public void EveryStratifiedSampleIsTestedExactlyOnceAndClassesAreSpread()
    {
        // 60 of class 0, 30 of class 1, 10 of class 2.
        var y = Tensor.FromArray(Enumerable.Range(0, 100).Select(i => i < 60 ? 0f : i < 90 ? 1f : 2f).ToArray());
        var folds = new StratifiedKFold(5, shuffle: true, seed: 3).Split(100, y).ToArray();
        AssertPartition(folds, 100, 5);
        foreach (var (_, test) in folds)
        {
            Assert.Equal(12, test.Count(i => y[i] == 0f));
            Assert.Equal(6, test.Count(i => y[i] == 1f));
            Assert.Equal(2, test.Count(i => y[i] == 2f));
        }
    }

    [Fact]
    public void ShuffledFoldsRepeatWithTheSameSeed()
    {
        var a = new KFold(4, shuffle: true, seed: 11).Split(50).Select(f => f.TestIndices).ToArray();
        var b = new KFold(4, shuffle: true, seed: 11).Split(50).Select(f => f.TestIndices).ToArray();
        var c = new KFold(4, shuffle: true, seed: 12).Split(50).Select(f => f.TestIndices).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.NotEqual(Enumerable.Range(0, 13), a[0]);
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new KFold(1));
        Assert.Throws<ArgumentException>(() => new KFold(3, shuffle: false, seed: 1));
        Assert.Throws<ArgumentException>(() => new KFold(5).Split(4));
        Assert.Throws<ArgumentNullException>(() => new StratifiedKFold(2).Split(4));
        Assert.Throws<ArgumentException>(() => new StratifiedKFold(2).Split(4, Tensor.FromArray([0f, 1f, 2f])));
        // Every class smaller than the number of folds.
        Assert.Throws<ArgumentException>(() => new StratifiedKFold(3).Split(4, Tensor.FromArray([0f, 0f, 1f, 1f])));
    }

    internal static void AssertPartition((int[] Train, int[] Test)[] folds, int n, int k)
    {
        Assert.Equal(k, folds.Length);
        var seen = new int[n];
        foreach (var (train, test) in folds)
        {
            Assert.Equal(n, train.Length + test.Length);
            Assert.Empty(train.Intersect(test));
            foreach (int i in test) seen[i]++;
            Assert.Equal(train.Order(), train);
            Assert.Equal(test.Order(), test);
        }
        Assert.All(seen, count => Assert.Equal(1, count));
        int smallest = folds.Min(f => f.Test.Length), largest = folds.Max(f => f.Test.Length);
        Assert.True(largest - smallest <= 1, $"fold sizes from {smallest} to {largest}");
    }
}
