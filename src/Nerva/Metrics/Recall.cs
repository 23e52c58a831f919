namespace Nerva.Metrics;

/// <summary>TP / (TP + FN): the share of actual positives that are found (scikit-learn's recall_score).</summary>
/// <param name="average">"binary" (class 1) or "macro" (the mean over classes).</param>
/// <param name="threshold">Probabilities above it count as class 1.</param>
/// <param name="name">The name in logs; "recall" by default.</param>
public sealed class Recall(string average = "binary", float threshold = 0.5f, string? name = null) : ClassificationMetric(average, threshold)
{
    /// <inheritdoc/>
    public override string Name { get; } = name ?? "recall";

    // TP / (TP + FN)
    /// <inheritdoc/>
    protected override double Score(double truePositives, double falsePositives, double falseNegatives) =>
        Ratio(truePositives, truePositives + falseNegatives);
}
