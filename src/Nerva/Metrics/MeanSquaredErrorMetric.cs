namespace Nerva.Metrics;

/// <summary>The mean squared error, accumulated over batches.</summary>
public sealed class MeanSquaredErrorMetric : MeanMetric
{
    /// <inheritdoc/>
    public override string Name => "mse";

    /// <inheritdoc/>
    protected override float[] Values(Tensor yTrue, Tensor yPred)
    {
        using (Autograd.NoGrad()) return RowMeans((yPred - Aligned(yTrue, yPred)).Square());
    }
}
