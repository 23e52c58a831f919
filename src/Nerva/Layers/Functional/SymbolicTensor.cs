namespace Nerva.Layers;

/// <summary>
/// A placeholder for a batch of values in the Keras functional API: it knows its shape (without
/// the batch) and which layer made it from which inputs, so a Model can be defined as a graph.
/// </summary>
/// <example><code>
/// var inputs = new Input(784);
/// var hidden = new Dense(64, "relu").Apply(inputs);
/// var outputs = new Dense(10, "softmax").Apply(hidden);
/// var model = new Model(inputs, outputs);
/// </code></example>
public class SymbolicTensor
{
    internal SymbolicTensor(int[] shape, Layer? layer, SymbolicTensor[] parents)
    {
        Dims = shape;
        Layer = layer;
        Parents = parents;
    }

    internal int[] Dims { get; }

    /// <summary>The shape of one sample (without the batch).</summary>
    public int[] Shape => (int[])Dims.Clone();

    /// <summary>The layer that produces it, or null for an <see cref="Input"/>.</summary>
    public Layer? Layer { get; }

    /// <summary>The inputs of that layer.</summary>
    public IReadOnlyList<SymbolicTensor> Parents { get; }

    /// <inheritdoc/>
    public override string ToString() => $"SymbolicTensor(None, {string.Join(", ", Dims)}) from {Layer?.Name ?? "input"}";
}
