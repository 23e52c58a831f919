namespace Nerva.Metrics;

/// <summary>2·TP / (2·TP + FP + FN): the harmonic mean of precision and recall.</summary>
public sealed class F1Score(string average = "binary", float threshold = 0.5f) : ClassificationMetric(average, threshold)
{
    /// <inheritdoc/>
    public override string Name => "f1_score";

    /// <inheritdoc/>
    protected override float Score(long truePositives, long falsePositives, long falseNegatives) => Ratio(2 * truePositives, 2 * truePositives + falsePositives + falseNegatives);
}
