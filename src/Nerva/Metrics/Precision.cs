namespace Nerva.Metrics;

/// <summary>TP / (TP + FP): how many predicted positives are right.</summary>
public sealed class Precision(string average = "binary", float threshold = 0.5f) : ClassificationMetric(average, threshold)
{
    /// <inheritdoc/>
    public override string Name => "precision";

    /// <inheritdoc/>
    protected override float Score(long truePositives, long falsePositives, long falseNegatives) => Ratio(truePositives, truePositives + falsePositives);
}
