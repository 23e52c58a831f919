namespace Nerva.Layers;

/// <summary>The base of layers that combine several same-batch inputs into one (Keras's merging layers).</summary>
public abstract class Merge(string? name) : Layer(name)
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input, bool training = false) =>
        throw new ArgumentException($"{Name}: a merge layer takes a list of inputs, got one tensor.");

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        if (inputs.Count < 2) throw new ArgumentException($"{Name}: expected at least two inputs, got {inputs.Count}.");
        if (!Built) Build(inputs[0].Dims[1..]);
        return Combine(inputs);
    }

    /// <summary>Combines the inputs.</summary>
    protected abstract Tensor Combine(IReadOnlyList<Tensor> inputs);
}
