using Nerva.Data;

namespace Nerva.Tests.Data;

public class DataLoaderTests
{
    private static TensorDataset Numbered(int count) =>
        new(Tensor.Arange(count).Reshape(count, 1) * Tensor.Ones(1, 3), Tensor.Arange(count));

    private static List<float[]> EpochLabels(DataLoader loader) => loader.Select(b => b.Labels.ToArray()).ToList();

    [Theory]
    [InlineData(10, 3, false, 4)]
    [InlineData(10, 3, true, 3)]
    [InlineData(9, 3, false, 3)]
    [InlineData(2, 5, false, 1)]
    public void EverySampleAppearsExactlyOncePerEpoch(int count, int batchSize, bool dropLast, int batches)
    {
        var loader = new DataLoader(Numbered(count), batchSize, shuffle: true, dropLast: dropLast, seed: 1);
        Assert.Equal(batches, loader.Count);
        var epoch = EpochLabels(loader);
        Assert.Equal(batches, epoch.Count);
        var seen = epoch.SelectMany(b => b).Select(v => (int)v).ToList();
        Assert.Equal(seen.Count, seen.Distinct().Count());
        if (!dropLast) Assert.Equal(Enumerable.Range(0, count), seen.Order());
        Assert.All(epoch.SkipLast(1), b => Assert.Equal(batchSize, b.Length));
    }

    [Fact]
    public void FeaturesAndLabelsStayPaired()
    {
        foreach (var (x, y) in new DataLoader(Numbered(20), 6, shuffle: true, seed: 3))
        {
            Assert.Equal([y.Dim(0), 3], x.Shape);
            for (int i = 0; i < y.Dim(0); i++) Assert.Equal(y[i], x[i, 2]);
        }
    }

    [Fact]
    public void OrdersDifferBetweenEpochsAndRepeatForTheSameSeed()
    {
        var a = new DataLoader(Numbered(50), 10, shuffle: true, seed: 7);
        var b = new DataLoader(Numbered(50), 10, shuffle: true, seed: 7);
        var a1 = EpochLabels(a).SelectMany(x => x).ToArray();
        var a2 = EpochLabels(a).SelectMany(x => x).ToArray();
        Assert.NotEqual(a1, a2);
        Assert.Equal(a1, EpochLabels(b).SelectMany(x => x).ToArray());
        Assert.Equal(a2, EpochLabels(b).SelectMany(x => x).ToArray());
    }

    [Fact]
    public void WithoutShuffleTheOrderIsTheDatasetOrder() =>
        Assert.Equal(Enumerable.Range(0, 7).Select(i => (float)i), EpochLabels(new DataLoader(Numbered(7), 3)).SelectMany(x => x));

    [Fact]
    public void PrefetchGivesTheSameBatchesAsNoPrefetch()
    {
        var noise = new Nerva.Data.Augmentation.GaussianNoise(0.1f, seed: 5);
        var noise2 = new Nerva.Data.Augmentation.GaussianNoise(0.1f, seed: 5);
        var images = new TensorDataset(Tensor.RandomUniform([30, 4, 4, 1], seed: 2), Tensor.Arange(30));
        var withPrefetch = new DataLoader(images, 8, shuffle: true, seed: 9, transform: noise.Apply, prefetch: true)
            .Select(b => b.Features.ToArray()).ToList();
        var without = new DataLoader(images, 8, shuffle: true, seed: 9, transform: noise2.Apply, prefetch: false)
            .Select(b => b.Features.ToArray()).ToList();
        Assert.Equal(without.Count, withPrefetch.Count);
        for (int i = 0; i < without.Count; i++) Assert.Equal(without[i], withPrefetch[i]);
    }

    [Fact]
    public void ReusedBuffersGiveTheSameValues()
    {
        var plain = new DataLoader(Numbered(20), 6, shuffle: true, seed: 4, prefetch: false);
        var reused = new DataLoader(Numbered(20), 6, shuffle: true, seed: 4, prefetch: false, reuseBuffers: true);
        var expected = plain.Select(b => b.Features.ToArray()).ToList();
        var actual = reused.Select(b => b.Features.ToArray()).ToList();
        Assert.Equal(expected, actual);
        // The point of the option: full batches share one array.
        var arrays = reused.Take(2).Select(b => b.Features.Data).ToList();
        Assert.Same(arrays[0], arrays[1]);
    }

    [Fact]
    public void StoppingEarlyIsSafe()
    {
        var loader = new DataLoader(Numbered(100), 10, shuffle: true, seed: 1);
        foreach (var _ in loader) break;
        Assert.Equal(10, loader.Count());
    }

    [Fact]
    public void StreamingDatasetIsBatchedInOrderEachEpoch()
    {
        int starts = 0;
        var stream = new StreamingDataset(() =>
        {
            starts++;
            return Enumerable.Range(0, 7).Select(i => (Tensor.Full([2], i), Tensor.Scalar(i)));
        });
        var loader = new DataLoader(stream, batchSize: 3);
        Assert.Equal([3, 3, 1], loader.Select(b => b.Labels.Size).ToArray());
        Assert.Equal([3, 3], new DataLoader(stream, 3, dropLast: true).Select(b => b.Labels.Size).ToArray());
        Assert.Equal([0f, 0f, 1f, 1f, 2f, 2f], loader.First().Features.ToArray());
        Assert.Equal(3, starts); // one enumeration per epoch started
    }

    [Fact]
    public void BadArgumentsFail()
    {
        Assert.Throws<ArgumentException>(() => new DataLoader(Numbered(3), 0));
        Assert.Throws<ArgumentException>(() => new TensorDataset(Tensor.Zeros(3, 2), Tensor.Zeros(4)));
    }
}
