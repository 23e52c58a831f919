namespace Nerva.Layers;

/// <summary>The maximum over the steps: [N, T, C] → [N, C].</summary>
public sealed class GlobalMaxPooling1D(bool keepDims = false, string? name = null) : GlobalPooling(1, keepDims, name)
{
    /// <inheritdoc/>
    protected override Tensor Reduce(Tensor positions) => positions.Max(1);
}
