namespace Nerva.Metrics;

/// <summary>
/// The mean absolute error, accumulated over batches (Keras's metrics.MeanAbsoluteError). The
/// suffix keeps it apart from the loss <see cref="Nerva.Losses.MeanAbsoluteError"/> in code that
/// imports both namespaces.
/// </summary>
/// <param name="name">The name in logs; "mean_absolute_error" by default.</param>
public sealed class MeanAbsoluteErrorMetric(string? name = null) : MeanMetric
{
    /// <inheritdoc/>
    public override string Name { get; } = name ?? "mean_absolute_error";

    /// <inheritdoc/>
    protected override float[] Values(Tensor yTrue, Tensor yPred)
    {
        using (Autograd.NoGrad()) return RowMeans((yPred.Detach() - Aligned(yTrue, yPred)).Abs());
    }
}
