namespace Nerva.Initializers;

/// <summary>
/// Makes the starting values of a weight, as Keras's initializers. A seed makes it repeatable;
/// without one, values come from <see cref="RandomState"/> (seedable globally).
/// </summary>
public abstract class Initializer
{
    /// <summary>The seed, or null to draw from the global random state.</summary>
    public int? Seed { get; init; }

    /// <summary>The Keras name, e.g. "glorot_uniform".</summary>
    public abstract string Name { get; }

    /// <summary>A new tensor of <paramref name="shape"/> holding initial values.</summary>
    public Tensor Create(params int[] shape)
    {
        var data = new float[ShapeUtil.SizeOf(shape, Name)];
        Fill(data, shape, Seed is int s ? new Random(s) : RandomState.NextRandom());
        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>Writes the values.</summary>
    protected abstract void Fill(Span<float> values, int[] shape, Random random);

    /// <summary>The constructor arguments, for saving.</summary>
    public virtual IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["seed"] = Seed };

    /// <summary>
    /// Fan-in and fan-out as Keras computes them: [in, out] for a matrix; for a convolution kernel
    /// [k..., in, out] both are multiplied by the receptive field size.
    /// </summary>
    protected static (double FanIn, double FanOut) Fans(int[] shape)
    {
        if (shape.Length == 0) return (1, 1);
        if (shape.Length == 1) return (shape[0], shape[0]);
        double receptive = 1;
        for (int i = 0; i < shape.Length - 2; i++) receptive *= shape[i];
        return (shape[^2] * receptive, shape[^1] * receptive);
    }

    /// <summary>Standard normal values redrawn outside ±2 (Keras's truncated normal).</summary>
    protected static void TruncatedNormal(Span<float> values, double std, Random random)
    {
        for (int i = 0; i < values.Length; i++)
        {
            double z;
            do z = RandomState.StandardNormal(random); while (Math.Abs(z) > 2);
            values[i] = (float)(z * std);
        }
    }

    /// <summary>The initializer with a Keras name ("glorot_uniform", "he_normal", "zeros", ...).</summary>
    public static Initializer Get(string name) => name switch
    {
        "glorot_uniform" => new GlorotUniform(),
        "glorot_normal" => new GlorotNormal(),
        "he_uniform" => new HeUniform(),
        "he_normal" => new HeNormal(),
        "lecun_normal" => new LecunNormal(),
        "lecun_uniform" => new LecunUniform(),
        "zeros" => new Zeros(),
        "ones" => new Ones(),
        "random_normal" => new RandomNormal(),
        "random_uniform" => new RandomUniform(),
        "orthogonal" => new Orthogonal(),
        _ => throw new ArgumentException($"Initializer: unknown initializer '{name}'; expected one of glorot_uniform, glorot_normal, " +
            "he_uniform, he_normal, lecun_normal, lecun_uniform, zeros, ones, random_normal, random_uniform, orthogonal."),
    };

    /// <summary>Lets a Keras string stand for an initializer: <c>kernelInitializer: "he_normal"</c>.</summary>
    public static implicit operator Initializer(string name) => Get(name);
}
