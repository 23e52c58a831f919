namespace Nerva.Metrics;

/// <summary>TP / (TP + FP): the share of predicted positives that are right (scikit-learn's precision_score).</summary>
/// <param name="average">"binary" (class 1) or "macro" (the mean over classes).</param>
/// <param name="threshold">Probabilities above it count as class 1.</param>
/// <param name="name">The name in logs; "precision" by default.</param>
public sealed class Precision(string average = "binary", float threshold = 0.5f, string? name = null) : ClassificationMetric(average, threshold)
{
    /// <inheritdoc/>
    public override string Name { get; } = name ?? "precision";

    // TP / (TP + FP)
    /// <inheritdoc/>
    protected override double Score(double truePositives, double falsePositives, double falseNegatives) =>
        Ratio(truePositives, truePositives + falsePositives);
}
