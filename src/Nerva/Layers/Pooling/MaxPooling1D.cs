namespace Nerva.Layers;

/// <summary>The maximum of each window of each channel: [N, T, C] → [N, T', C] (Keras's MaxPooling1D).</summary>
public sealed class MaxPooling1D(int poolSize = 2, int? strides = null, string padding = "valid", string? name = null) : Pooling1D(poolSize, strides, padding, name)
{
    /// <inheritdoc/>
    protected override Tensor Pool(Tensor images) => images.MaxPool2D(1, PoolSize, 1, Strides, Padding);
}
