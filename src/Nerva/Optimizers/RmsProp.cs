namespace Nerva.Optimizers;

/// <summary>
/// RMSprop (Hinton, Coursera lecture 6e), as torch.optim.RMSprop: s ← ρs + (1−ρ)g²,
/// p ← p − lr·g/(√s + ε); centered subtracts the squared running mean of g; momentum buffers the step.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private float[][] square = [], mean = [], buffer = [];

    /// <summary>Keras style: bound by Compile.</summary>
    public RmsProp(float learningRate = 0.001f, float rho = 0.9f, float momentum = 0f, float epsilon = 1e-7f, bool centered = false) : base(learningRate)
    {
        Rho = rho;
        Momentum = momentum;
        Epsilon = epsilon;
        Centered = centered;
    }

    /// <summary>PyTorch style: bound to <paramref name="parameters"/>.</summary>
    public RmsProp(IEnumerable<Tensor> parameters, float learningRate = 0.001f, float rho = 0.9f, float momentum = 0f, float epsilon = 1e-7f, bool centered = false)
        : this(learningRate, rho, momentum, epsilon, centered) => Bind([.. parameters]);

    /// <summary>Decay of the running mean of squared gradients.</summary>
    public float Rho { get; }

    /// <summary>Momentum of the step.</summary>
    public float Momentum { get; }

    /// <summary>Added to the denominator for stability.</summary>
    public float Epsilon { get; }

    /// <summary>Whether to normalise by the variance instead of the second moment.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    public override string Name => "rmsprop";

    /// <inheritdoc/>
    protected override void CreateState(IReadOnlyList<Tensor> parameters)
    {
        square = ZerosLike(parameters);
        mean = Centered ? ZerosLike(parameters) : [];
        buffer = Momentum != 0 ? ZerosLike(parameters) : [];
    }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, Span<float> gradient, float learningRate)
    {
        var s = square[index];
        for (int j = 0; j < parameter.Length; j++)
        {
            float g = gradient[j];
            s[j] = Rho * s[j] + (1 - Rho) * g * g;
            float denominator = s[j];
            if (Centered)
            {
                mean[index][j] = Rho * mean[index][j] + (1 - Rho) * g;
                denominator -= mean[index][j] * mean[index][j];
            }
            float step = g / (MathF.Sqrt(denominator) + Epsilon);
            if (Momentum != 0) step = buffer[index][j] = Momentum * buffer[index][j] + step;
            parameter[j] -= learningRate * step;
        }
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string, float[])> StateArrays() =>
        square.Select((a, i) => ($"{i}.square", a)).Concat(mean.Select((a, i) => ($"{i}.mean", a))).Concat(buffer.Select((a, i) => ($"{i}.momentum", a)));

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["learning_rate"] = LearningRate, ["rho"] = Rho, ["momentum"] = Momentum, ["epsilon"] = Epsilon, ["centered"] = Centered,
    };
}
