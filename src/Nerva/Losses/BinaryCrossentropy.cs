namespace Nerva.Losses;

/// <summary>Cross-entropy for 0/1 targets, on probabilities or (fromLogits) raw scores.</summary>
/// <param name="fromLogits">Whether predictions are raw scores (logits) rather than probabilities.</param>
/// <param name="labelSmoothing">Moves targets towards ½ by this fraction: y·(1 − s) + s/2.</param>
public sealed class BinaryCrossentropy(bool fromLogits = false, float labelSmoothing = 0f) : Loss
{
    /// <summary>Whether predictions are raw scores (logits) rather than probabilities.</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <summary>The fraction by which targets move towards ½.</summary>
    public float LabelSmoothing { get; } = labelSmoothing;

    /// <inheritdoc/>
    public override string Name => "binary_crossentropy";

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred) => LossFunctions.BinaryCrossentropy(yTrue, yPred, FromLogits, LabelSmoothing);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?> { ["from_logits"] = FromLogits, ["label_smoothing"] = LabelSmoothing };
}
