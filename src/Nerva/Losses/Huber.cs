namespace Nerva.Losses;

/// <summary>Quadratic for small errors, linear beyond delta (Huber 1964).</summary>
/// <param name="delta">The error size at which the loss turns from quadratic to linear.</param>
public sealed class Huber(float delta = 1f) : Loss
{
    /// <summary>The error size at which the loss turns from quadratic to linear.</summary>
    public float Delta { get; } = delta > 0 ? delta : throw new ArgumentException($"Huber: expected a positive delta, got {delta}.");

    /// <inheritdoc/>
    public override string Name => "huber";

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred) => LossFunctions.Huber(yTrue, yPred, Delta);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["delta"] = Delta };
}
