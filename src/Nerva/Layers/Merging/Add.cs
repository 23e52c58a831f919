namespace Nerva.Layers;

/// <summary>The elementwise sum of its inputs (residual connections).</summary>
public sealed class Add(string? name = null) : Merge(name)
{
    /// <inheritdoc/>
    protected override Tensor Combine(IReadOnlyList<Tensor> inputs) => inputs.Skip(1).Aggregate(inputs[0], (sum, x) => sum + x);
}
