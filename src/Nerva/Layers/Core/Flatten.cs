namespace Nerva.Layers;

/// <summary>Flattens every dimension but the batch: [batch, d1, d2, ...] → [batch, d1·d2·...].</summary>
public sealed class Flatten(string? name = null) : Layer(name)
{
    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training) => input.Reshape(input.Dims[0], -1);
}
