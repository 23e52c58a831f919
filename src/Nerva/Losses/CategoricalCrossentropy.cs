namespace Nerva.Losses;

/// <summary>Cross-entropy for one-hot targets, on probabilities or (fromLogits) raw scores.</summary>
public sealed class CategoricalCrossentropy(bool fromLogits = false) : Loss
{
    /// <inheritdoc/>
    public override string Name => "categorical_crossentropy";

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred) => LossFunctions.CategoricalCrossentropy(yTrue, yPred, fromLogits);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["from_logits"] = fromLogits };
}
