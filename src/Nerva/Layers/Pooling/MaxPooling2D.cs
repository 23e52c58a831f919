namespace Nerva.Layers;

/// <summary>The maximum of each window of each channel: [N, H, W, C] → [N, H', W', C] (Keras's MaxPooling2D).</summary>
public sealed class MaxPooling2D(int poolSize = 2, int? strides = null, string padding = "valid", string? name = null) : Pooling2D(poolSize, strides, padding, name)
{
    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training) => input.MaxPool2D(PoolSize, PoolSize, Strides, Strides, Padding);
}
