namespace Nerva.Regularizers;

/// <summary>l1 · Σ|x| (encourages sparse weights).</summary>
public sealed class L1(float l1 = 0.01f) : Regularizer
{
    /// <inheritdoc/>
    public override string Name => "l1";

    /// <inheritdoc/>
    public override Tensor Penalty(Tensor x) => x.Abs().Sum() * l1;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["l1"] = l1 };
}
