using Nerva.Initializers;

namespace Nerva.Layers;

/// <summary>
/// Normalises each sample over its last axis to zero mean and unit variance, then scales by gamma
/// and shifts by beta (Ba et al. 2016): y = γ·(x − μ)/√(σ² + ε) + β.
/// </summary>
public sealed class LayerNormalization(float epsilon = 1e-3f, bool center = true, bool scale = true, string? name = null) : Layer(name)
{
    private Tensor? gamma, beta;

    /// <summary>Added to the variance for stability (Keras's default 1e-3; PyTorch uses 1e-5).</summary>
    public float Epsilon { get; } = epsilon;

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape)
    {
        if (scale) gamma = AddWeight("gamma", [inputShape[^1]], new Ones());
        if (center) beta = AddWeight("beta", [inputShape[^1]], new Zeros());
    }

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        var mean = input.Mean(-1, keepDim: true);
        var centered = input - mean;
        var variance = centered.Square().Mean(-1, keepDim: true);
        var y = centered / (variance + Epsilon).Sqrt();
        if (gamma is not null) y *= gamma;
        if (beta is not null) y += beta;
        return y;
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?> { ["name"] = Name, ["epsilon"] = Epsilon, ["center"] = center, ["scale"] = scale };
}
