namespace Nerva.Optimizers;

/// <summary>
/// Adagrad (Duchi et al. 2011), as torch.optim.Adagrad: s ← s + g², p ← p − lr·g/(√s + ε);
/// the accumulator starts at Keras's 0.1.
/// </summary>
public sealed class Adagrad : Optimizer
{
    private float[][] sum = [];

    /// <summary>Keras style: bound by Compile.</summary>
    public Adagrad(float learningRate = 0.001f, float initialAccumulatorValue = 0.1f, float epsilon = 1e-7f) : base(learningRate)
    {
        InitialAccumulatorValue = initialAccumulatorValue;
        Epsilon = epsilon;
    }

    /// <summary>PyTorch style: bound to <paramref name="parameters"/>.</summary>
    public Adagrad(IEnumerable<Tensor> parameters, float learningRate = 0.001f, float initialAccumulatorValue = 0.1f, float epsilon = 1e-7f)
        : this(learningRate, initialAccumulatorValue, epsilon) => Bind([.. parameters]);

    /// <summary>The starting value of the squared-gradient sums.</summary>
    public float InitialAccumulatorValue { get; }

    /// <summary>Added to the denominator for stability.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override string Name => "adagrad";

    /// <inheritdoc/>
    protected override void CreateState(IReadOnlyList<Tensor> parameters) => sum = ZerosLike(parameters, InitialAccumulatorValue);

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, Span<float> gradient, float learningRate)
    {
        var s = sum[index];
        for (int j = 0; j < parameter.Length; j++)
        {
            float g = gradient[j];
            s[j] += g * g;
            parameter[j] -= learningRate * g / (MathF.Sqrt(s[j]) + Epsilon);
        }
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string, float[])> StateArrays() => sum.Select((a, i) => ($"{i}.sum", a));

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["learning_rate"] = LearningRate, ["initial_accumulator_value"] = InitialAccumulatorValue, ["epsilon"] = Epsilon,
    };
}
