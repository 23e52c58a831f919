namespace Nerva.Layers;

/// <summary>The mean of each window of each channel: [N, T, C] → [N, T', C] (Keras's AveragePooling1D; "same" averages only real steps).</summary>
public sealed class AveragePooling1D(int poolSize = 2, int? strides = null, string padding = "valid", string? name = null) : Pooling1D(poolSize, strides, padding, name)
{
    /// <inheritdoc/>
    protected override Tensor Pool(Tensor images) => images.AvgPool2D(1, PoolSize, 1, Strides, Padding);
}
