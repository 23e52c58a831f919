namespace Nerva.Metrics;

/// <summary>
/// Precision, recall and F1 from a confusion matrix accumulated over batches, either for the
/// positive class of a binary problem ("binary") or averaged over classes ("macro").
/// </summary>
public abstract class ClassificationMetric(string average, float threshold) : Metric
{
    private long[,] counts = new long[0, 0];

    /// <summary>"binary" or "macro".</summary>
    public string Average { get; } = average is "binary" or "macro" ? average : throw new ArgumentException($"expected average 'binary' or 'macro', got '{average}'.");

    /// <inheritdoc/>
    public override void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        var actual = Classes(yTrue);
        var predicted = ConfusionMatrix.PredictedClasses(yPred, threshold);
        int classes = Math.Max(counts.GetLength(0), (int)Math.Max(actual.DefaultIfEmpty().Max(), predicted.DefaultIfEmpty().Max()) + 1);
        if (Average == "binary") classes = Math.Max(classes, 2);
        if (classes > counts.GetLength(0))
        {
            var grown = new long[classes, classes];
            for (int i = 0; i < counts.GetLength(0); i++)
                for (int j = 0; j < counts.GetLength(1); j++) grown[i, j] = counts[i, j];
            counts = grown;
        }
        for (int i = 0; i < actual.Length; i++) counts[(int)actual[i], (int)predicted[i]]++;
    }

    /// <inheritdoc/>
    public override float Result()
    {
        if (counts.Length == 0) return 0f;
        if (Average == "binary") return Score(1);
        int classes = counts.GetLength(0);
        double total = 0;
        for (int c = 0; c < classes; c++) total += Score(c);
        return (float)(total / classes);
    }

    /// <inheritdoc/>
    public override void Reset() => counts = new long[0, 0];

    /// <summary>The score for one class from its true positives, false positives and false negatives.</summary>
    protected abstract float Score(long truePositives, long falsePositives, long falseNegatives);

    private float Score(int c)
    {
        long tp = counts[c, c], fp = 0, fn = 0;
        for (int k = 0; k < counts.GetLength(0); k++)
        {
            if (k == c) continue;
            fp += counts[k, c];
            fn += counts[c, k];
        }
        return Score(tp, fp, fn);
    }

    /// <summary>a / b, or 0 when b is 0 (scikit-learn's zero_division=0).</summary>
    protected static float Ratio(long a, long b) => b == 0 ? 0f : (float)a / b;
}
