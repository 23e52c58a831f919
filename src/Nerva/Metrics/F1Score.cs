namespace Nerva.Metrics;

/// <summary>The harmonic mean of precision and recall (scikit-learn's f1_score).</summary>
/// <param name="average">"binary" (class 1) or "macro" (the mean over classes).</param>
/// <param name="threshold">Probabilities above it count as class 1.</param>
/// <param name="name">The name in logs; "f1_score" by default.</param>
public sealed class F1Score(string average = "binary", float threshold = 0.5f, string? name = null) : ClassificationMetric(average, threshold)
{
    /// <inheritdoc/>
    public override string Name { get; } = name ?? "f1_score";

    // 2·TP / (2·TP + FP + FN), which equals 2PR / (P + R)
    /// <inheritdoc/>
    protected override double Score(double truePositives, double falsePositives, double falseNegatives) =>
        Ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
}
