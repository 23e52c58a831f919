namespace Nerva.Schedules;

/// <summary>
/// Exponential decay, as Keras's ExponentialDecay: initial·rate^(step/decaySteps), with the exponent
/// floored to whole periods when <see cref="Staircase"/>.
/// </summary>
public sealed class ExponentialDecay : ILearningRateSchedule
{
    /// <summary>A rate that decays by <paramref name="decayRate"/> every <paramref name="decaySteps"/> steps.</summary>
    /// <param name="initialLearningRate">The rate at step 0.</param>
    /// <param name="decaySteps">The number of steps over which the rate is multiplied by <paramref name="decayRate"/> (positive).</param>
    /// <param name="decayRate">The multiplier per <paramref name="decaySteps"/> steps.</param>
    /// <param name="staircase">Whether to decay in whole periods (a step function) instead of continuously.</param>
    public ExponentialDecay(float initialLearningRate, int decaySteps, float decayRate, bool staircase = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(decaySteps);
        InitialLearningRate = initialLearningRate;
        DecaySteps = decaySteps;
        DecayRate = decayRate;
        Staircase = staircase;
    }

    /// <summary>The rate at step 0.</summary>
    public float InitialLearningRate { get; }

    /// <summary>The number of steps per decay period.</summary>
    public int DecaySteps { get; }

    /// <summary>The multiplier per period.</summary>
    public float DecayRate { get; }

    /// <summary>Whether the rate decays in whole periods.</summary>
    public bool Staircase { get; }

    /// <inheritdoc/>
    public float Rate(int step)
    {
        double p = (double)step / DecaySteps;
        return (float)(InitialLearningRate * Math.Pow(DecayRate, Staircase ? Math.Floor(p) : p));
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["initial_learning_rate"] = InitialLearningRate, ["decay_steps"] = DecaySteps, ["decay_rate"] = DecayRate, ["staircase"] = Staircase,
    };
}
