namespace Nerva.Data.Selection;

/// <summary>Argument checks and the fold-assignment-to-indices step shared by the splitters.</summary>
internal static class FoldChecks
{
    public static int SplitCount(int nSplits, string op) =>
        nSplits >= 2 ? nSplits : throw new ArgumentException($"{op}: expected nSplits >= 2, got {nSplits}.", nameof(nSplits));

    public static void SeedNeedsShuffle(bool shuffle, int? seed, string op)
    {
        // As sklearn: a seed without shuffling would silently do nothing, which hides a mistake.
        if (!shuffle && seed is not null)
            throw new ArgumentException($"{op}: a seed has no effect without shuffle: true; pass shuffle: true or drop the seed.", nameof(seed));
    }

    public static void SampleCount(int sampleCount, int nSplits, Tensor? labels, string op)
    {
        if (sampleCount < nSplits)
            throw new ArgumentException($"{op}: expected at least nSplits = {nSplits} samples, got {sampleCount}.", nameof(sampleCount));
        if (labels is not null && (labels.Rank == 0 || labels.Dims[0] != sampleCount))
            throw ShapeUtil.Error(op, $"labels for {sampleCount} samples", $"shape {ShapeUtil.Format(labels.Dims)}");
    }

    /// <summary>Each fold's (training, test) indices, both ascending, from the test fold of every sample.</summary>
    public static IEnumerable<(int[] TrainIndices, int[] TestIndices)> FromAssignment(int[] fold, int nSplits)
    {
        var sizes = new int[nSplits];
        foreach (int f in fold) sizes[f]++;
        for (int k = 0; k < nSplits; k++)
        {
            var test = new int[sizes[k]];
            var train = new int[fold.Length - sizes[k]];
            int t = 0, r = 0;
            for (int i = 0; i < fold.Length; i++)
                if (fold[i] == k) test[t++] = i;
                else train[r++] = i;
            yield return (train, test);
        }
    }
}
