namespace Nerva.Losses;

/// <summary>Mean of squared errors (regression).</summary>
public sealed class MeanSquaredError : Loss
{
    /// <inheritdoc/>
    public override string Name => "mean_squared_error";

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred) => LossFunctions.MeanSquaredError(yTrue, yPred);
}
