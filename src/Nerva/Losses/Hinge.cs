namespace Nerva.Losses;

/// <summary>Hinge loss for ±1 (or 0/1) targets (SVM-style margins).</summary>
public sealed class Hinge : Loss
{
    /// <inheritdoc/>
    public override string Name => "hinge";

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred) => LossFunctions.Hinge(yTrue, yPred);
}
