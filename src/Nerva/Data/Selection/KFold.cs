namespace Nerva.Data.Selection;

/// <summary>
/// K-fold cross-validation, as scikit-learn's KFold: the samples (shuffled first, if asked) are cut
/// into <see cref="NSplits"/> consecutive folds; the first n % k folds have one sample more.
/// </summary>
/// <example><code>
/// foreach (var (train, test) in new KFold(5, shuffle: true, seed: 0).Split(x.Shape[0])) { ... }
/// </code></example>
public sealed class KFold : IFoldSplitter
{
    /// <summary>Creates a splitter into <paramref name="nSplits"/> folds; a seed needs shuffle, as in sklearn.</summary>
    public KFold(int nSplits = 5, bool shuffle = false, int? seed = null)
    {
        NSplits = FoldChecks.SplitCount(nSplits, "KFold");
        FoldChecks.SeedNeedsShuffle(shuffle, seed, "KFold");
        Shuffle = shuffle;
        Seed = seed;
    }

    /// <inheritdoc/>
    public int NSplits { get; }

    /// <summary>Whether samples are shuffled before being cut into folds.</summary>
    public bool Shuffle { get; }

    /// <summary>The seed of the shuffle (null: a different shuffle each time).</summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    public IEnumerable<(int[] TrainIndices, int[] TestIndices)> Split(int sampleCount, Tensor? labels = null)
    {
        FoldChecks.SampleCount(sampleCount, NSplits, labels, "KFold");
        var order = Shuffle ? Shuffling.Permutation(sampleCount, Shuffling.Create(Seed)) : Enumerable.Range(0, sampleCount).ToArray();
        var fold = new int[sampleCount];
        int start = 0;
        for (int k = 0; k < NSplits; k++)
        {
            int size = sampleCount / NSplits + (k < sampleCount % NSplits ? 1 : 0);
            for (int i = start; i < start + size; i++) fold[order[i]] = k;
            start += size;
        }
        return FoldChecks.FromAssignment(fold, NSplits);
    }
}
