namespace Nerva.Layers;

/// <summary>The mean over the steps: [N, T, C] → [N, C].</summary>
public sealed class GlobalAveragePooling1D(bool keepDims = false, string? name = null) : GlobalPooling(1, keepDims, name)
{
    /// <inheritdoc/>
    protected override Tensor Reduce(Tensor positions) => positions.Mean(1);
}
