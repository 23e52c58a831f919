namespace Nerva.Losses;

/// <summary>Cross-entropy for class-index targets, on probabilities or (fromLogits) raw scores (PyTorch's CrossEntropyLoss).</summary>
/// <param name="fromLogits">Whether predictions are raw scores (logits) rather than probabilities.</param>
public sealed class SparseCategoricalCrossentropy(bool fromLogits = false) : Loss
{
    /// <summary>Whether predictions are raw scores (logits) rather than probabilities.</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <inheritdoc/>
    public override string Name => "sparse_categorical_crossentropy";

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred) => LossFunctions.SparseCategoricalCrossentropy(yTrue, yPred, FromLogits);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["from_logits"] = FromLogits };
}
