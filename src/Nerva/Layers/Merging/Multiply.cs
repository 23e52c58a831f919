namespace Nerva.Layers;

/// <summary>The elementwise product of its inputs (gating).</summary>
public sealed class Multiply(string? name = null) : Merge(name)
{
    /// <inheritdoc/>
    protected override Tensor Combine(IReadOnlyList<Tensor> inputs) => inputs.Skip(1).Aggregate(inputs[0], (product, x) => product * x);
}
