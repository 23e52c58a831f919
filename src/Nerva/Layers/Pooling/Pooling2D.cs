namespace Nerva.Layers;

/// <summary>The base of 2-D pooling layers: a window, strides (default: the window) and "valid"/"same" padding, as Keras.</summary>
public abstract class Pooling2D(int poolSize, int? strides, string padding, string? name) : Layer(name)
{
    /// <summary>The window's height and width.</summary>
    public int PoolSize { get; } = poolSize > 0 ? poolSize : throw new ArgumentException($"Pooling2D: expected a positive pool size, got {poolSize}.");

    /// <summary>Steps between windows.</summary>
    public int Strides { get; } = strides ?? poolSize;

    /// <summary>"valid" or "same".</summary>
    public string Padding { get; } = padding is "valid" or "same" ? padding : throw new ArgumentException($"Pooling2D: expected padding 'valid' or 'same', got '{padding}'.");

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["name"] = Name, ["pool_size"] = PoolSize, ["strides"] = Strides, ["padding"] = Padding,
    };
}
