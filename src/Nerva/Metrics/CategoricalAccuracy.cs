namespace Nerva.Metrics;

/// <summary>The fraction of samples whose highest-scoring class is the one-hot target's class (Keras's CategoricalAccuracy).</summary>
/// <param name="name">The name in logs; "categorical_accuracy" by default.</param>
public sealed class CategoricalAccuracy(string? name = null) : MeanMetric
{
    /// <inheritdoc/>
    public override string Name { get; } = name ?? "categorical_accuracy";

    /// <inheritdoc/>
    protected override float[] Values(Tensor yTrue, Tensor yPred)
    {
        if (yPred.Rank < 2 || !yTrue.Dims.AsSpan().SequenceEqual(yPred.Dims))
            throw ShapeUtil.Error(Name, $"one-hot targets shaped like the predictions [batch, classes], {ShapeUtil.Format(yPred.Dims)}", ShapeUtil.Format(yTrue.Dims));
        var matches = Matches(Classes(yTrue), Classes(yPred));
        return RowMeans(matches, Samples(yPred));
    }
}
