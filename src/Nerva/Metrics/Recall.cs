namespace Nerva.Metrics;

/// <summary>TP / (TP + FN): how many actual positives are found.</summary>
public sealed class Recall(string average = "binary", float threshold = 0.5f) : ClassificationMetric(average, threshold)
{
    /// <inheritdoc/>
    public override string Name => "recall";

    /// <inheritdoc/>
    protected override float Score(long truePositives, long falsePositives, long falseNegatives) => Ratio(truePositives, truePositives + falseNegatives);
}
