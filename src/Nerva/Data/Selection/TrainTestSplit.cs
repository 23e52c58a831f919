using Nerva.Data.Preprocessing;

namespace Nerva.Data.Selection;

/// <summary>
/// Splits samples into a training and a test set, as scikit-learn's train_test_split: the test set
/// has ceil(testSize * n) samples, optionally stratified so that each class keeps its share.
/// </summary>
/// <example><code>
/// var (xTrain, xTest, yTrain, yTest) = TrainTestSplit.Split(x, y, testSize: 0.2, seed: 42, stratify: y);
/// </code></example>
/// <remarks>
/// Tensors of any rank are split along dimension 0 (samples). Without shuffle the first samples
/// train and the last ones test. Stratified splits shuffle within each class; the per-class test
/// counts are the proportional shares rounded by largest remainder, so they sum to the test size.
/// </remarks>
public static class TrainTestSplit
{
    /// <summary>Splits features and labels alike into (xTrain, xTest, yTrain, yTest).</summary>
    /// <param name="x">The features, samples along dimension 0.</param>
    /// <param name="y">The labels or targets, one row per sample.</param>
    /// <param name="testSize">The fraction of samples in the test set, in (0, 1).</param>
    /// <param name="seed">The seed of the shuffle (null: a different split each time).</param>
    /// <param name="shuffle">Whether to shuffle before splitting.</param>
    /// <param name="stratify">Class labels to stratify by (usually <paramref name="y"/>); needs shuffle.</param>
    public static (Tensor XTrain, Tensor XTest, Tensor YTrain, Tensor YTest) Split(
        Tensor x, Tensor y, double testSize = 0.25, int? seed = null, bool shuffle = true, Tensor? stratify = null)
    {
        RowSelect.CheckSameRows(x, y, "TrainTestSplit");
        var (train, test) = Indices(x.Dims[0], testSize, seed, shuffle, stratify);
        return (RowSelect.Rows(x, train), RowSelect.Rows(x, test), RowSelect.Rows(y, train), RowSelect.Rows(y, test));
    }

    /// <summary>Splits one tensor into (train, test).</summary>
    /// <param name="x">The samples, along dimension 0.</param>
    /// <param name="testSize">The fraction of samples in the test set, in (0, 1).</param>
    /// <param name="seed">The seed of the shuffle (null: a different split each time).</param>
    /// <param name="shuffle">Whether to shuffle before splitting.</param>
    /// <param name="stratify">Class labels to stratify by; needs shuffle.</param>
    public static (Tensor Train, Tensor Test) Split(Tensor x, double testSize = 0.25, int? seed = null, bool shuffle = true, Tensor? stratify = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0) throw ShapeUtil.Error("TrainTestSplit", "a tensor with a sample dimension", "a scalar");
        var (train, test) = Indices(x.Dims[0], testSize, seed, shuffle, stratify);
        return (RowSelect.Rows(x, train), RowSelect.Rows(x, test));
    }

    /// <summary>The training and test sample indices for <paramref name="sampleCount"/> samples (in shuffled order when shuffled).</summary>
    /// <param name="sampleCount">The number of samples.</param>
    /// <param name="testSize">The fraction of samples in the test set, in (0, 1).</param>
    /// <param name="seed">The seed of the shuffle (null: a different split each time).</param>
    /// <param name="shuffle">Whether to shuffle before splitting.</param>
    /// <param name="stratify">Class labels to stratify by; needs shuffle.</param>
    public static (int[] TrainIndices, int[] TestIndices) Indices(int sampleCount, double testSize = 0.25, int? seed = null, bool shuffle = true, Tensor? stratify = null)
    {
        if (!(testSize > 0 && testSize < 1))
            throw new ArgumentException($"TrainTestSplit: expected testSize in (0, 1), got {testSize}.", nameof(testSize));
        int testCount = (int)Math.Ceiling(testSize * sampleCount);
        int trainCount = sampleCount - testCount;
        if (trainCount <= 0 || testCount <= 0)
            throw new ArgumentException($"TrainTestSplit: {sampleCount} samples with testSize {testSize} leave an empty set (train {trainCount}, test {testCount}).");
        if (!shuffle)
        {
            if (stratify is not null) throw new ArgumentException("TrainTestSplit: stratify needs shuffle: true (as in sklearn).", nameof(stratify));
            return (Enumerable.Range(0, trainCount).ToArray(), Enumerable.Range(trainCount, testCount).ToArray());
        }
        var rng = Shuffling.Create(seed);
        if (stratify is null)
        {
            var order = Shuffling.Permutation(sampleCount, rng);
            return (order[testCount..], order[..testCount]);
        }
        return Stratified(sampleCount, testCount, stratify, rng);
    }

    private static (int[] Train, int[] Test) Stratified(int sampleCount, int testCount, Tensor stratify, Random rng)
    {
        if (stratify.Rank == 0 || stratify.Dims[0] != sampleCount)
            throw ShapeUtil.Error("TrainTestSplit", $"stratify labels for {sampleCount} samples", $"shape {ShapeUtil.Format(stratify.Dims)}");
        var (classes, codes) = LabelClasses.Encode(stratify, "TrainTestSplit");
        var members = LabelClasses.Members(codes, classes.Length);
        for (int k = 0; k < classes.Length; k++)
            if (members[k].Length < 2)
                throw new ArgumentException($"TrainTestSplit: class {classes[k]} has {members[k].Length} sample; stratifying needs at least 2 per class.");
        if (testCount < classes.Length || sampleCount - testCount < classes.Length)
            throw new ArgumentException($"TrainTestSplit: train ({sampleCount - testCount}) and test ({testCount}) sizes must each be at least the number of classes ({classes.Length}) to stratify.");

        var testPerClass = Apportion(members, testCount);
        var train = new List<int>(sampleCount - testCount);
        var test = new List<int>(testCount);
        for (int k = 0; k < members.Length; k++)
        {
            var m = (int[])members[k].Clone();
            Shuffling.Shuffle<int>(m, rng);
            test.AddRange(m.AsSpan(0, testPerClass[k]));
            train.AddRange(m.AsSpan(testPerClass[k]));
        }
        var trainArray = train.ToArray();
        var testArray = test.ToArray();
        // Mix the classes, which were appended one after another.
        Shuffling.Shuffle<int>(trainArray, rng);
        Shuffling.Shuffle<int>(testArray, rng);
        return (trainArray, testArray);
    }

    /// <summary>Each class's share of <paramref name="total"/>: floors of the exact shares, the rest to the largest remainders.</summary>
    private static int[] Apportion(int[][] members, int total)
    {
        int n = members.Sum(m => m.Length);
        var counts = new int[members.Length];
        var remainders = new (double Remainder, int Class)[members.Length];
        int assigned = 0;
        for (int k = 0; k < members.Length; k++)
        {
            double exact = (double)members[k].Length * total / n;
            counts[k] = (int)Math.Floor(exact);
            assigned += counts[k];
            remainders[k] = (exact - counts[k], k);
        }
        // Largest remainder first; ties go to the smaller class index, so the result is deterministic.
        Array.Sort(remainders, (a, b) => a.Remainder != b.Remainder ? b.Remainder.CompareTo(a.Remainder) : a.Class.CompareTo(b.Class));
        for (int r = 0; assigned < total; r++, assigned++) counts[remainders[r].Class]++;
        return counts;
    }
}
