namespace Nerva.Metrics;

/// <summary>
/// The mean squared error, accumulated over batches (Keras's metrics.MeanSquaredError). The
/// suffix keeps it apart from the loss <see cref="Nerva.Losses.MeanSquaredError"/> in code that
/// imports both namespaces.
/// </summary>
/// <param name="name">The name in logs; "mean_squared_error" by default.</param>
public sealed class MeanSquaredErrorMetric(string? name = null) : MeanMetric
{
    /// <inheritdoc/>
    public override string Name { get; } = name ?? "mean_squared_error";

    /// <inheritdoc/>
    protected override float[] Values(Tensor yTrue, Tensor yPred)
    {
        using (Autograd.NoGrad()) return RowMeans((yPred.Detach() - Aligned(yTrue, yPred)).Square());
    }
}
