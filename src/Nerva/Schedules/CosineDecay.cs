namespace Nerva.Schedules;

/// <summary>
/// Cosine annealing (Loshchilov and Hutter 2017, SGDR), as Keras's CosineDecay without warm-up:
/// initial·((1 − α)·½(1 + cos(π·min(step, T)/T)) + α), T = decaySteps; it ends at initial·α and stays there.
/// </summary>
/// <remarks>For Keras's warmup_target/warmup_steps, wrap it: <c>new WarmUp(new CosineDecay(lr, steps), warmupSteps)</c>.</remarks>
public sealed class CosineDecay : ILearningRateSchedule
{
    /// <summary>A rate that falls along half a cosine from <paramref name="initialLearningRate"/> to initial·<paramref name="alpha"/>.</summary>
    /// <param name="initialLearningRate">The rate at step 0.</param>
    /// <param name="decaySteps">The number of steps T of the decay (positive).</param>
    /// <param name="alpha">The final rate as a fraction of the initial one.</param>
    public CosineDecay(float initialLearningRate, int decaySteps, float alpha = 0f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(decaySteps);
        InitialLearningRate = initialLearningRate;
        DecaySteps = decaySteps;
        Alpha = alpha;
    }

    /// <summary>The rate at step 0.</summary>
    public float InitialLearningRate { get; }

    /// <summary>The number of steps of the decay.</summary>
    public int DecaySteps { get; }

    /// <summary>The final rate as a fraction of the initial one.</summary>
    public float Alpha { get; }

    /// <inheritdoc/>
    public float Rate(int step)
    {
        double progress = Math.Min(step, DecaySteps) / (double)DecaySteps;
        return (float)(InitialLearningRate * ((1 - Alpha) * 0.5 * (1 + Math.Cos(Math.PI * progress)) + Alpha));
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["initial_learning_rate"] = InitialLearningRate, ["decay_steps"] = DecaySteps, ["alpha"] = Alpha,
    };
}
