namespace Nerva.Layers;

/// <summary>The maximum over height and width: [N, H, W, C] → [N, C].</summary>
public sealed class GlobalMaxPooling2D(bool keepDims = false, string? name = null) : GlobalPooling(2, keepDims, name)
{
    /// <inheritdoc/>
    protected override Tensor Reduce(Tensor positions) => positions.Max(1);
}
