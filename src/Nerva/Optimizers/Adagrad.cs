using System.Numerics.Tensors;

namespace Nerva.Optimizers;

/// <summary>Adagrad (Duchi, Hazan and Singer 2011), as torch.optim.Adagrad.</summary>
/// <remarks>
/// s ← s + g²; p ← p − lr·g/(√s + ε), the accumulator s starting at <see cref="InitialAccumulatorValue"/>
/// (Keras's default 0.1; PyTorch's is 0). The default ε is Keras's 1e-7 (PyTorch's is 1e-10).
/// </remarks>
public sealed class Adagrad : Optimizer
{
    private float[][] sum = [];

    /// <summary>Keras style: hyperparameters only; Compile binds the parameters.</summary>
    /// <param name="learningRate">The step size lr.</param>
    /// <param name="initialAccumulatorValue">The starting value of the squared-gradient sums (Keras's default 0.1).</param>
    /// <param name="epsilon">The ε added to the denominator (Keras's default 1e-7).</param>
    public Adagrad(float learningRate = 0.001f, float initialAccumulatorValue = 0.1f, float epsilon = 1e-7f) : base(learningRate)
    {
        InitialAccumulatorValue = CheckRange(initialAccumulatorValue, nameof(initialAccumulatorValue), 0, float.PositiveInfinity);
        Epsilon = CheckRange(epsilon, nameof(epsilon), 0, float.PositiveInfinity);
    }

    /// <summary>PyTorch style: bound to <paramref name="parameters"/> at once.</summary>
    /// <param name="parameters">The tensors to update, e.g. <c>model.Parameters</c>.</param>
    /// <param name="learningRate">The step size lr.</param>
    /// <param name="initialAccumulatorValue">The starting value of the squared-gradient sums (Keras's default 0.1).</param>
    /// <param name="epsilon">The ε added to the denominator (Keras's default 1e-7).</param>
    public Adagrad(IEnumerable<Tensor> parameters, float learningRate = 0.001f, float initialAccumulatorValue = 0.1f, float epsilon = 1e-7f)
        : this(learningRate, initialAccumulatorValue, epsilon) => Bind([.. parameters]);

    /// <summary>The starting value of the squared-gradient sums.</summary>
    public float InitialAccumulatorValue { get; }

    /// <summary>The ε added to the denominator for stability.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override string Name => "adagrad";

    /// <inheritdoc/>
    protected override void CreateState(IReadOnlyList<Tensor> parameters) => sum = ZerosLike(parameters, InitialAccumulatorValue);

    /// <inheritdoc/>
    protected override void Update(int index, int step, Span<float> parameter, Span<float> gradient, float learningRate)
    {
        Span<float> denominator = stackalloc float[ChunkLength];
        for (int start = 0; start < parameter.Length; start += ChunkLength)
        {
            int n = Math.Min(ChunkLength, parameter.Length - start);
            Span<float> p = parameter.Slice(start, n), g = gradient.Slice(start, n), d = denominator[..n], s = sum[index].AsSpan(start, n);
            TensorPrimitives.MultiplyAdd(g, g, s, s);     // s ← s + g²
            TensorPrimitives.Sqrt(s, d);
            TensorPrimitives.Add(d, Epsilon, d);
            TensorPrimitives.Divide(g, d, d);
            TensorPrimitives.MultiplyAdd(d, -learningRate, p, p);
        }
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string, float[])> StateArrays() => sum.Select((a, i) => ($"{i}.sum", a));

    /// <inheritdoc/>
    protected override void AddConfig(IDictionary<string, object?> config)
    {
        config["initial_accumulator_value"] = InitialAccumulatorValue;
        config["epsilon"] = Epsilon;
    }
}
