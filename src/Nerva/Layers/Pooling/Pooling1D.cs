namespace Nerva.Layers;

/// <summary>
/// The base of 1-D pooling layers over sequences [N, steps, C]: a window, strides (default: the
/// window) and "valid"/"same" padding, as Keras. Runs as 2-D pooling on a height-1 image.
/// </summary>
public abstract class Pooling1D(int poolSize, int? strides, string padding, string? name) : Layer(name)
{
    /// <summary>The window's length in steps.</summary>
    public int PoolSize { get; } = poolSize > 0 ? poolSize : throw new ArgumentException($"Pooling1D: expected a positive pool size, got {poolSize}.");

    /// <summary>Steps between windows.</summary>
    public int Strides { get; } = strides is null or > 0 ? strides ?? poolSize : throw new ArgumentException($"Pooling1D: expected positive strides, got {strides}.");

    /// <summary>"valid" or "same" (output ceil(steps / strides); padded steps never win a max nor count in an average).</summary>
    public string Padding { get; } = padding is "valid" or "same" ? padding : throw new ArgumentException($"Pooling1D: expected padding 'valid' or 'same', got '{padding}'.");

    /// <inheritdoc/>
    protected sealed override Tensor Call(Tensor input, bool training)
    {
        if (input.Rank != 3) throw ShapeUtil.Error(Name, "sequences [batch, steps, channels]", ShapeUtil.Format(input.Dims));
        int n = input.Dims[0], steps = input.Dims[1], channels = input.Dims[2];
        var pooled = Pool(input.Reshape(n, 1, steps, channels));
        return pooled.Reshape(n, pooled.Dims[2], channels);
    }

    /// <summary>Pools images [N, 1, steps, C] with a 1 × PoolSize window and 1 × Strides steps.</summary>
    protected abstract Tensor Pool(Tensor images);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["name"] = Name, ["pool_size"] = PoolSize, ["strides"] = Strides, ["padding"] = Padding,
    };
}
