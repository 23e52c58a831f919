namespace Nerva.Metrics;

/// <summary>The fraction of 0/1 targets matched by predictions thresholded at <c>threshold</c> (Keras's BinaryAccuracy).</summary>
/// <param name="threshold">Predictions above it count as 1.</param>
/// <param name="name">The name in logs; "binary_accuracy" by default.</param>
public sealed class BinaryAccuracy(float threshold = 0.5f, string? name = null) : MeanMetric
{
    /// <summary>Predictions above it count as 1.</summary>
    public float Threshold { get; } = threshold;

    /// <inheritdoc/>
    public override string Name { get; } = name ?? "binary_accuracy";

    /// <inheritdoc/>
    protected override float[] Values(Tensor yTrue, Tensor yPred)
    {
        using (Autograd.NoGrad()) return RowMeans(yPred.Detach().Gt(Threshold).Eq(Aligned(yTrue, yPred)));
    }
}
