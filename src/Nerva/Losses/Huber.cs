namespace Nerva.Losses;

/// <summary>Quadratic for small errors, linear beyond delta (Huber 1964).</summary>
public sealed class Huber(float delta = 1f) : Loss
{
    /// <inheritdoc/>
    public override string Name => "huber";

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred) => LossFunctions.Huber(yTrue, yPred, delta);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["delta"] = delta };
}
