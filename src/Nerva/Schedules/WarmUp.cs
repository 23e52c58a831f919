namespace Nerva.Schedules;

/// <summary>
/// Linear warm-up (Goyal et al. 2017): over the first <see cref="WarmupSteps"/> steps the rate rises linearly to the
/// wrapped schedule's first rate, target·(step + 1)/warmupSteps, then follows that schedule from its step 0.
/// </summary>
/// <remarks>The ramp starts at target/warmupSteps rather than 0, so that no step is wasted at rate 0.</remarks>
public sealed class WarmUp : ILearningRateSchedule
{
    /// <summary>Warms up to <paramref name="after"/>, which then runs shifted by the warm-up.</summary>
    /// <param name="after">The schedule that follows the warm-up; its rate at step 0 is the warm-up's target.</param>
    /// <param name="warmupSteps">The number of warm-up steps (non-negative).</param>
    public WarmUp(ILearningRateSchedule after, int warmupSteps)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        After = after;
        WarmupSteps = warmupSteps;
    }

    /// <summary>Warms up to a constant <paramref name="learningRate"/>.</summary>
    /// <param name="learningRate">The rate reached at the end of the warm-up and kept afterwards.</param>
    /// <param name="warmupSteps">The number of warm-up steps (non-negative).</param>
    public WarmUp(float learningRate, int warmupSteps) : this(new Constant(learningRate), warmupSteps) { }

    /// <summary>The schedule that follows the warm-up.</summary>
    public ILearningRateSchedule After { get; }

    /// <summary>The number of warm-up steps.</summary>
    public int WarmupSteps { get; }

    /// <inheritdoc/>
    public float Rate(int step) => step < WarmupSteps ? After.Rate(0) * (step + 1) / WarmupSteps : After.Rate(step - WarmupSteps);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["warmup_steps"] = WarmupSteps,
        ["after"] = new Dictionary<string, object?> { ["class_name"] = After.GetType().Name, ["config"] = After.GetConfig() },
    };

    private sealed class Constant(float rate) : ILearningRateSchedule
    {
        public float Rate(int step) => rate;

        public IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?> { ["learning_rate"] = rate };
    }
}
