namespace Nerva.Losses;

/// <summary>Cross-entropy for one-hot (or soft) targets, on probabilities or (fromLogits) raw scores.</summary>
/// <param name="fromLogits">Whether predictions are raw scores (logits) rather than probabilities.</param>
/// <param name="labelSmoothing">Moves targets towards uniform by this fraction: y·(1 − s) + s/classes.</param>
public sealed class CategoricalCrossentropy(bool fromLogits = false, float labelSmoothing = 0f) : Loss
{
    /// <summary>Whether predictions are raw scores (logits) rather than probabilities.</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <summary>The fraction by which targets move towards the uniform distribution.</summary>
    public float LabelSmoothing { get; } = labelSmoothing;

    /// <inheritdoc/>
    public override string Name => "categorical_crossentropy";

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred) => LossFunctions.CategoricalCrossentropy(yTrue, yPred, FromLogits, LabelSmoothing);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?> { ["from_logits"] = FromLogits, ["label_smoothing"] = LabelSmoothing };
}
