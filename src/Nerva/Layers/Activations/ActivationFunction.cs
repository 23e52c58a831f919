namespace Nerva.Layers;

/// <summary>A named elementwise (or last-axis) activation, as Keras's <c>activation=</c> argument takes.</summary>
public sealed class ActivationFunction
{
    private readonly Func<Tensor, Tensor> function;

    internal ActivationFunction(string name, Func<Tensor, Tensor> function)
    {
        Name = name;
        this.function = function;
    }

    /// <summary>The Keras name, e.g. "relu".</summary>
    public string Name { get; }

    /// <summary>Applies the activation.</summary>
    public Tensor Apply(Tensor x) => function(x);

    /// <summary>Lets a Keras string stand for the activation: <c>activation: "relu"</c>.</summary>
    public static implicit operator ActivationFunction(string? name) => Activations.Get(name);

    /// <inheritdoc/>
    public override string ToString() => Name;
}
