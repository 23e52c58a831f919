namespace Nerva.Metrics;

/// <summary>Fraction of 0/1 targets matched by predictions thresholded at <c>threshold</c>.</summary>
public sealed class BinaryAccuracy(float threshold = 0.5f) : MeanMetric
{
    /// <inheritdoc/>
    public override string Name => "accuracy";

    /// <inheritdoc/>
    protected override float[] Values(Tensor yTrue, Tensor yPred)
    {
        using (Autograd.NoGrad()) return RowMeans(yPred.Gt(threshold).Eq(Aligned(yTrue, yPred)));
    }
}
