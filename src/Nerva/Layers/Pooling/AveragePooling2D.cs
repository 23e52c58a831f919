namespace Nerva.Layers;

/// <summary>The mean of each window of each channel: [N, H, W, C] → [N, H', W', C] (Keras's AveragePooling2D).</summary>
public sealed class AveragePooling2D(int poolSize = 2, int? strides = null, string padding = "valid", string? name = null) : Pooling2D(poolSize, strides, padding, name)
{
    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training) => input.AvgPool2D(PoolSize, PoolSize, Strides, Strides, Padding);
}
