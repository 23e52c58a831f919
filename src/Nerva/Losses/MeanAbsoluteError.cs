namespace Nerva.Losses;

/// <summary>Mean of absolute errors (regression, robust to outliers).</summary>
public sealed class MeanAbsoluteError : Loss
{
    /// <inheritdoc/>
    public override string Name => "mean_absolute_error";

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred) => LossFunctions.MeanAbsoluteError(yTrue, yPred);
}
