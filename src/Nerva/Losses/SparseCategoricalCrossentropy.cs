namespace Nerva.Losses;

/// <summary>Cross-entropy for class-index targets, on probabilities or (fromLogits) raw scores (PyTorch's CrossEntropyLoss).</summary>
public sealed class SparseCategoricalCrossentropy(bool fromLogits = false) : Loss
{
    /// <inheritdoc/>
    public override string Name => "sparse_categorical_crossentropy";

    /// <inheritdoc/>
    protected override Tensor PerSample(Tensor yTrue, Tensor yPred) => LossFunctions.SparseCategoricalCrossentropy(yTrue, yPred, fromLogits);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["from_logits"] = fromLogits };
}
