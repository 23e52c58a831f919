namespace Nerva.Losses;

/// <summary>Cross-entropy for 0/1 targets, on probabilities or (fromLogits) raw scores.</summary>
public sealed class BinaryCrossentropy(bool fromLogits = false) : Loss
{
    /// <inheritdoc/>
    public override string Name => "binary_crossentropy";

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred) => LossFunctions.BinaryCrossentropy(yTrue, yPred, fromLogits);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["from_logits"] = fromLogits };
}
