namespace Nerva.Layers;

/// <summary>Keras's activation functions, by name or as typed members (<c>Activations.Relu</c>).</summary>
public static class Activations
{
    // SELU constants from Klambauer et al. 2017, "Self-Normalizing Neural Networks".
    private const float SeluAlpha = 1.6732632423543772f, SeluScale = 1.0507009873554805f;

    public static readonly ActivationFunction Linear = new("linear", x => x);
    public static readonly ActivationFunction Relu = new("relu", x => x.Relu());
    public static readonly ActivationFunction LeakyRelu = new("leaky_relu", x => x.LeakyRelu(0.2f)); // Keras's default slope
    public static readonly ActivationFunction Elu = new("elu", x => x.Elu());
    public static readonly ActivationFunction Selu = new("selu", x => x.Elu(SeluAlpha) * SeluScale);
    public static readonly ActivationFunction Gelu = new("gelu", x => x.Gelu());
    public static readonly ActivationFunction Silu = new("silu", x => x.Silu());
    public static readonly ActivationFunction Sigmoid = new("sigmoid", x => x.Sigmoid());
    // Keras 3: relu6(x + 3) / 6.
    public static readonly ActivationFunction HardSigmoid = new("hard_sigmoid", x => (x / 6f + 0.5f).Clamp(0f, 1f));
    public static readonly ActivationFunction Tanh = new("tanh", x => x.Tanh());
    public static readonly ActivationFunction Softplus = new("softplus", x => x.Softplus());
    public static readonly ActivationFunction Softsign = new("softsign", x => x / (x.Abs() + 1f));
    public static readonly ActivationFunction Softmax = new("softmax", x => x.Softmax(-1));
    public static readonly ActivationFunction LogSoftmax = new("log_softmax", x => x.LogSoftmax(-1));

    private static readonly Dictionary<string, ActivationFunction> ByName = new()
    {
        ["linear"] = Linear, ["relu"] = Relu, ["leaky_relu"] = LeakyRelu, ["elu"] = Elu, ["selu"] = Selu,
        ["gelu"] = Gelu, ["silu"] = Silu, ["swish"] = Silu, ["sigmoid"] = Sigmoid, ["hard_sigmoid"] = HardSigmoid,
        ["tanh"] = Tanh, ["softplus"] = Softplus, ["softsign"] = Softsign, ["softmax"] = Softmax, ["log_softmax"] = LogSoftmax,
    };

    /// <summary>The activation with a Keras name ("relu", "softmax", ...); null or empty means linear.</summary>
    public static ActivationFunction Get(string? name)
    {
        if (string.IsNullOrEmpty(name)) return Linear;
        return ByName.TryGetValue(name, out var activation) ? activation
            : throw new ArgumentException($"Activations: unknown activation '{name}'; expected one of {string.Join(", ", ByName.Keys)}.");
    }
}
