using Nerva.Data.Preprocessing;

namespace Nerva.Data.Selection;

/// <summary>
/// Random over- and under-sampling of imbalanced classes, as imbalanced-learn's RandomOverSampler and
/// RandomUnderSampler with the "auto" strategy: every class ends with the majority's (over) or the
/// minority's (under) number of samples. Resample the training set only, never the test set.
/// </summary>
/// <remarks>
/// Labels are whole numbers of shape [n] or [n, 1]; a seed makes the result repeatable. Over-sampling
/// keeps every original sample, in order, and appends random repeats (drawn with replacement) class
/// by class; under-sampling keeps a random subset of each class, in the original order. Shuffle
/// before batching (DataLoader does).
/// </remarks>
public static class Resampling
{
    /// <summary>Repeats random samples of the smaller classes until each has as many as the largest.</summary>
    public static (Tensor X, Tensor Y) RandomOverSample(Tensor x, Tensor y, int? seed = null)
    {
        RowSelect.CheckSameRows(x, y, "Resampling.RandomOverSample");
        var kept = OverSampleIndices(y, seed);
        return (RowSelect.Rows(x, kept), RowSelect.Rows(y, kept));
    }

    /// <summary>Drops random samples of the larger classes until each has as many as the smallest.</summary>
    public static (Tensor X, Tensor Y) RandomUnderSample(Tensor x, Tensor y, int? seed = null)
    {
        RowSelect.CheckSameRows(x, y, "Resampling.RandomUnderSample");
        var kept = UnderSampleIndices(y, seed);
        return (RowSelect.Rows(x, kept), RowSelect.Rows(y, kept));
    }

    /// <summary>The sample indices of <see cref="RandomOverSample"/>: 0..n-1, then the added repeats.</summary>
    public static int[] OverSampleIndices(Tensor labels, int? seed = null)
    {
        var members = Members(labels, "Resampling.RandomOverSample");
        int target = members.Max(m => m.Length);
        var rng = Shuffling.Create(seed);
        var result = new List<int>(target * members.Length);
        result.AddRange(Enumerable.Range(0, labels.Dims[0]));
        foreach (var m in members)
            for (int extra = m.Length; extra < target; extra++) result.Add(m[rng.Next(m.Length)]);
        return result.ToArray();
    }

    /// <summary>The sample indices of <see cref="RandomUnderSample"/>, ascending.</summary>
    public static int[] UnderSampleIndices(Tensor labels, int? seed = null)
    {
        var members = Members(labels, "Resampling.RandomUnderSample");
        int target = members.Min(m => m.Length);
        var rng = Shuffling.Create(seed);
        var result = new List<int>(target * members.Length);
        foreach (var m in members)
        {
            var pick = (int[])m.Clone();
            Shuffling.Shuffle<int>(pick, rng);
            result.AddRange(pick.AsSpan(0, target));
        }
        result.Sort();
        return result.ToArray();
    }

    private static int[][] Members(Tensor labels, string op)
    {
        var (classes, codes) = LabelClasses.Encode(labels, op);
        if (codes.Length == 0) throw new ArgumentException($"{op}: expected at least one label, got none.", nameof(labels));
        return LabelClasses.Members(codes, classes.Length);
    }
}
