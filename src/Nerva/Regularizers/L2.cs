namespace Nerva.Regularizers;

/// <summary>l2 · Σx² (weight decay through the loss; note Keras has no ½).</summary>
public sealed class L2(float l2 = 0.01f) : Regularizer
{
    /// <inheritdoc/>
    public override string Name => "l2";

    /// <inheritdoc/>
    public override Tensor Penalty(Tensor x) => x.Square().Sum() * l2;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["l2"] = l2 };
}
