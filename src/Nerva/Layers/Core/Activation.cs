namespace Nerva.Layers;

/// <summary>Applies an activation function ("relu", "softmax", ... or <see cref="Activations"/>.Relu).</summary>
public sealed class Activation(ActivationFunction activation, string? name = null) : Layer(name)
{
    /// <summary>The function applied.</summary>
    public ActivationFunction Function { get; } = activation;

    /// <inheritdoc/>
    protected override bool ShapeMatches(int[] shapeWithBatch) => true;

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training) => Function.Apply(input);

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["name"] = Name, ["activation"] = Function.Name };
}
