using Nerva.Initializers;

namespace Nerva.Layers;

/// <summary>
/// Batch normalization over the last (channel) axis (Ioffe and Szegedy 2015), as Keras: in
/// training it normalises with the batch's mean and variance over every other axis and updates
/// the moving statistics (m ← momentum·m + (1 − momentum)·batch); in inference it uses them.
/// Weights in Keras order: gamma, beta (trainable), moving mean, moving variance.
/// </summary>
public sealed class BatchNormalization(float momentum = 0.99f, float epsilon = 1e-3f, bool center = true, bool scale = true, string? name = null) : Layer(name)
{
    private Tensor? gamma, beta, movingMean, movingVariance;

    /// <summary>How much of the old moving statistics each training batch keeps.</summary>
    public float Momentum { get; } = momentum;

    /// <summary>Added to the variance for stability.</summary>
    public float Epsilon { get; } = epsilon;

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape)
    {
        int channels = inputShape[^1];
        if (scale) gamma = AddWeight("gamma", [channels], new Ones());
        if (center) beta = AddWeight("beta", [channels], new Zeros());
        movingMean = AddWeight("moving_mean", [channels], new Zeros(), trainable: false);
        movingVariance = AddWeight("moving_variance", [channels], new Ones(), trainable: false);
    }

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        if (!training) return input.BatchNorm(movingMean, movingVariance, gamma, beta, Epsilon, out _, out _);
        var output = input.BatchNorm(null, null, gamma, beta, Epsilon, out var mean, out var variance);
        using (Autograd.NoGrad())
        {
            movingMean!.Mul_(Momentum).Add_(mean!, 1 - Momentum);
            movingVariance!.Mul_(Momentum).Add_(variance!, 1 - Momentum);
        }
        return output;
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["name"] = Name, ["momentum"] = Momentum, ["epsilon"] = Epsilon, ["center"] = center, ["scale"] = scale,
    };
}
