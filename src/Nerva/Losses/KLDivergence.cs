namespace Nerva.Losses;

/// <summary>Kullback–Leibler divergence of the predicted distribution from the target one.</summary>
public sealed class KLDivergence : Loss
{
    /// <inheritdoc/>
    public override string Name => "kl_divergence";

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred) => LossFunctions.KLDivergence(yTrue, yPred);
}
