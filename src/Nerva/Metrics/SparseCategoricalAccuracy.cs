namespace Nerva.Metrics;

/// <summary>Fraction of samples whose highest-scoring class equals the class-index target.</summary>
public sealed class SparseCategoricalAccuracy : MeanMetric
{
    /// <inheritdoc/>
    public override string Name => "accuracy";

    /// <inheritdoc/>
    protected override float[] Values(Tensor yTrue, Tensor yPred)
    {
        var predicted = Classes(yPred);
        var actual = yTrue.ToArray();
        if (actual.Length != predicted.Length) throw ShapeUtil.Error(Name, $"{predicted.Length} labels", ShapeUtil.Format(yTrue.Dims));
        return [.. predicted.Select((p, i) => p == actual[i] ? 1f : 0f)];
    }
}
