namespace Nerva.Metrics;

/// <summary>Fraction of samples whose highest-scoring class is the one-hot target's class.</summary>
public sealed class CategoricalAccuracy : MeanMetric
{
    /// <inheritdoc/>
    public override string Name => "accuracy";

    /// <inheritdoc/>
    protected override float[] Values(Tensor yTrue, Tensor yPred)
    {
        var predicted = Classes(yPred);
        var actual = Classes(yTrue);
        return [.. predicted.Select((p, i) => p == actual[i] ? 1f : 0f)];
    }
}
