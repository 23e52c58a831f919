using Nerva.Kernels;

namespace Nerva.Optimizers;

/// <summary>
/// Adam (Kingma and Ba 2015), as torch.optim.Adam: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
/// p ← p − lr·m̂/(√v̂ + ε) with bias-corrected m̂, v̂. The default ε is Keras's 1e-7 (PyTorch uses 1e-8).
/// </summary>
public class Adam : Optimizer
{
    private float[][] m = [], v = [];

    /// <summary>Keras style: bound by Compile.</summary>
    public Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f) : base(learningRate)
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>PyTorch style: bound to <paramref name="parameters"/>.</summary>
    public Adam(IEnumerable<Tensor> parameters, float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f)
        : this(learningRate, beta1, beta2, epsilon) => Bind([.. parameters]);

    /// <summary>Decay of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>Added to the denominator for stability.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    public override string Name => "adam";

    /// <inheritdoc/>
    protected override void CreateState(IReadOnlyList<Tensor> parameters)
    {
        m = ZerosLike(parameters);
        v = ZerosLike(parameters);
    }

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, Span<float> gradient, float learningRate)
    {
        int t = Iterations + 1;
        float correction1 = 1 - MathF.Pow(Beta1, t), correction2 = 1 - MathF.Pow(Beta2, t);
        float stepSize = learningRate / correction1, rootCorrection2 = MathF.Sqrt(correction2);
        AdamKernel.Update(parameter, gradient, m[index], v[index], Beta1, Beta2, stepSize, 1 / rootCorrection2, Epsilon);
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string, float[])> StateArrays() =>
        m.Select((a, i) => ($"{i}.m", a)).Concat(v.Select((a, i) => ($"{i}.v", a)));

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["learning_rate"] = LearningRate, ["beta_1"] = Beta1, ["beta_2"] = Beta2, ["epsilon"] = Epsilon, ["weight_decay"] = WeightDecay,
    };
}
