namespace Nerva.Data.Selection;

/// <summary>
/// K-fold cross-validation that keeps each class's share of samples about equal in every fold,
/// as scikit-learn's StratifiedKFold (the same allocation, so unshuffled folds match sklearn's).
/// </summary>
/// <remarks>
/// Each class's samples are dealt to folds in blocks that follow the data order; with shuffle the
/// blocks are permuted within each class. A class smaller than <see cref="NSplits"/> is allowed
/// (some folds then lack it), but not when every class is.
/// </remarks>
public sealed class StratifiedKFold : IFoldSplitter
{
    /// <summary>Creates a splitter into <paramref name="nSplits"/> stratified folds; a seed needs shuffle, as in sklearn.</summary>
    public StratifiedKFold(int nSplits = 5, bool shuffle = false, int? seed = null)
    {
        NSplits = FoldChecks.SplitCount(nSplits, "StratifiedKFold");
        FoldChecks.SeedNeedsShuffle(shuffle, seed, "StratifiedKFold");
        Shuffle = shuffle;
        Seed = seed;
    }

    /// <inheritdoc/>
    public int NSplits { get; }

    /// <summary>Whether each class's samples are shuffled among the folds.</summary>
    public bool Shuffle { get; }

    /// <summary>The seed of the shuffle (null: a different shuffle each time).</summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    public IEnumerable<(int[] TrainIndices, int[] TestIndices)> Split(int sampleCount, Tensor? labels = null)
    {
        if (labels is null) throw new ArgumentNullException(nameof(labels), "StratifiedKFold.Split: labels are required to stratify.");
        FoldChecks.SampleCount(sampleCount, NSplits, labels, "StratifiedKFold");
        var (_, sortedCodes) = LabelClasses.Encode(labels, "StratifiedKFold");
        int[] codes = ByFirstAppearance(sortedCodes, out int classCount);
        var counts = LabelClasses.Counts(codes, classCount);
        if (counts.All(c => c < NSplits))
            throw new ArgumentException($"StratifiedKFold: nSplits = {NSplits} is greater than the number of members in every class (largest: {counts.Max()}).");

        // sklearn's allocation: deal the class-sorted samples round robin to the folds, so fold i
        // gets allocation[i, k] samples of class k and the class shares differ by at most one.
        var allocation = new int[NSplits, classCount];
        for (int k = 0, position = 0; k < classCount; k++)
            for (int c = 0; c < counts[k]; c++, position++) allocation[position % NSplits, k]++;

        var rng = Shuffle ? Shuffling.Create(Seed) : null;
        var members = LabelClasses.Members(codes, classCount);
        var fold = new int[sampleCount];
        for (int k = 0; k < classCount; k++)
        {
            // Fold numbers in blocks (0, 0, 1, 1, 1, 2, ...) keep the data order within a class.
            var folds = new int[counts[k]];
            for (int i = 0, p = 0; i < NSplits; i++)
                for (int c = 0; c < allocation[i, k]; c++) folds[p++] = i;
            if (rng is not null) Shuffling.Shuffle<int>(folds, rng);
            for (int m = 0; m < members[k].Length; m++) fold[members[k][m]] = folds[m];
        }
        return FoldChecks.FromAssignment(fold, NSplits);
    }

    /// <summary>Renumbers classes by first appearance in the data (0 is the first label seen), as sklearn does before allocating.</summary>
    private static int[] ByFirstAppearance(int[] codes, out int classCount)
    {
        var renumber = new Dictionary<int, int>();
        var result = new int[codes.Length];
        for (int i = 0; i < codes.Length; i++)
        {
            if (!renumber.TryGetValue(codes[i], out int r)) renumber[codes[i]] = r = renumber.Count;
            result[i] = r;
        }
        classCount = renumber.Count;
        return result;
    }
}
