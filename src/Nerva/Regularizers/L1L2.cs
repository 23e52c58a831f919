namespace Nerva.Regularizers;

/// <summary>l1 · Σ|x| + l2 · Σx².</summary>
public sealed class L1L2(float l1 = 0f, float l2 = 0f) : Regularizer
{
    /// <inheritdoc/>
    public override string Name => "l1_l2";

    /// <inheritdoc/>
    public override Tensor Penalty(Tensor x) => x.Abs().Sum() * l1 + x.Square().Sum() * l2;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["l1"] = l1, ["l2"] = l2 };
}
