namespace Nerva.Metrics;

/// <summary>The mean absolute error, accumulated over batches.</summary>
public sealed class MeanAbsoluteErrorMetric : MeanMetric
{
    /// <inheritdoc/>
    public override string Name => "mae";

    /// <inheritdoc/>
    protected override float[] Values(Tensor yTrue, Tensor yPred)
    {
        using (Autograd.NoGrad()) return RowMeans((yPred - Aligned(yTrue, yPred)).Abs());
    }
}
