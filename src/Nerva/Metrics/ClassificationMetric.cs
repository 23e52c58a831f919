namespace Nerva.Metrics;

/// <summary>
/// Precision, recall and F1 from a weighted confusion matrix accumulated over batches, either for
/// the positive class 1 of a binary problem ("binary") or averaged over classes ("macro").
/// </summary>
/// <remarks>
/// Predictions may be probabilities [n] / [n, 1] (above the threshold counts as 1), class indices
/// [n] (whole numbers are taken as indices), or scores [n, classes] (argmax). Targets are class
/// indices or one-hot rows. "macro" averages over the classes seen in targets or predictions, as
/// scikit-learn does; a ratio with a zero denominator counts as 0 (zero_division=0).
/// </remarks>
public abstract class ClassificationMetric : Metric
{
    private double[,] counts = new double[0, 0];
    private bool[] seen = [];

    /// <summary>Stores the averaging mode and the threshold for probabilities.</summary>
    /// <param name="average">"binary" (class 1 against the rest) or "macro" (the unweighted mean over classes).</param>
    /// <param name="threshold">Probabilities above it count as class 1.</param>
    protected ClassificationMetric(string average, float threshold)
    {
        Average = average is "binary" or "macro" ? average
            : throw new ArgumentException($"{GetType().Name}: expected average 'binary' or 'macro', got '{average}'.", nameof(average));
        Threshold = threshold;
    }

    /// <summary>"binary" or "macro".</summary>
    public string Average { get; }

    /// <summary>Probabilities above it count as class 1.</summary>
    public float Threshold { get; }

    /// <inheritdoc/>
    public override void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        int? limit = Average == "binary" ? 2 : null;
        var actual = Indices(Classes(yTrue), Name, limit);
        var predicted = Indices(ConfusionMatrix.PredictedClasses(yPred, Threshold), Name, limit);
        if (actual.Length != predicted.Length)
            throw ShapeUtil.Error(Name, $"one target per prediction ({predicted.Length}, predictions {ShapeUtil.Format(yPred.Dims)})", ShapeUtil.Format(yTrue.Dims));
        var weights = Weights(sampleWeight, actual.Length, Name);
        int classes = Math.Max(limit ?? 0, counts.GetLength(0));
        for (int i = 0; i < actual.Length; i++) classes = Math.Max(classes, Math.Max(actual[i], predicted[i]) + 1);
        Grow(classes);
        for (int i = 0; i < actual.Length; i++)
        {
            counts[actual[i], predicted[i]] += weights[i];
            seen[actual[i]] = seen[predicted[i]] = true;
        }
    }

    /// <inheritdoc/>
    public override float Result()
    {
        if (Average == "binary") return counts.Length == 0 ? 0f : (float)Score(1);
        double total = 0;
        int present = 0;
        for (int c = 0; c < seen.Length; c++)
        {
            if (!seen[c]) continue;
            total += Score(c);
            present++;
        }
        return present == 0 ? 0f : (float)(total / present);
    }

    /// <inheritdoc/>
    public override void Reset() => (counts, seen) = (new double[0, 0], []);

    /// <summary>The score for one class from its (weighted) true positives, false positives and false negatives.</summary>
    protected abstract double Score(double truePositives, double falsePositives, double falseNegatives);

    /// <summary>a / b, or 0 when b is 0 (scikit-learn's zero_division=0).</summary>
    protected static double Ratio(double a, double b) => b == 0 ? 0 : a / b;

    private double Score(int c)
    {
        double tp = counts[c, c], fp = 0, fn = 0;
        for (int k = 0; k < counts.GetLength(0); k++)
        {
            if (k == c) continue;
            fp += counts[k, c];
            fn += counts[c, k];
        }
        return Score(tp, fp, fn);
    }

    private void Grow(int classes)
    {
        int old = counts.GetLength(0);
        if (classes <= old) return;
        var grown = new double[classes, classes];
        for (int i = 0; i < old; i++)
            for (int j = 0; j < old; j++) grown[i, j] = counts[i, j];
        counts = grown;
        Array.Resize(ref seen, classes);
    }
}
