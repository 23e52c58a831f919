namespace Nerva.Metrics;

/// <summary>The fraction of samples whose highest-scoring class equals the class-index target (Keras's SparseCategoricalAccuracy).</summary>
/// <param name="name">The name in logs; "sparse_categorical_accuracy" by default.</param>
public sealed class SparseCategoricalAccuracy(string? name = null) : MeanMetric
{
    /// <inheritdoc/>
    public override string Name { get; } = name ?? "sparse_categorical_accuracy";

    /// <inheritdoc/>
    protected override float[] Values(Tensor yTrue, Tensor yPred)
    {
        if (yPred.Rank < 2 || yTrue.Size * yPred.Dims[^1] != yPred.Size || Samples(yTrue) != Samples(yPred))
            throw ShapeUtil.Error(Name, $"class-index targets {ShapeUtil.Format(yPred.Dims[..^1])} for predictions {ShapeUtil.Format(yPred.Dims)}", ShapeUtil.Format(yTrue.Dims));
        var matches = Matches(yTrue.ToArray(), yPred.ArgMax(-1).ToArray());
        return RowMeans(matches, Samples(yPred));
    }
}
