namespace Nerva.Layers;

/// <summary>The mean over height and width: [N, H, W, C] → [N, C].</summary>
public sealed class GlobalAveragePooling2D(bool keepDims = false, string? name = null) : GlobalPooling(2, keepDims, name)
{
    /// <inheritdoc/>
    protected override Tensor Reduce(Tensor positions) => positions.Mean(1);
}
