namespace Nerva.Schedules;

/// <summary>Rises linearly from 0 to the wrapped schedule's rate over <c>warmupSteps</c>, then follows it (shifted by the warm-up).</summary>
public sealed class WarmUp(ILearningRateSchedule after, int warmupSteps) : ILearningRateSchedule
{
    /// <summary>Warm up to a constant rate.</summary>
    public WarmUp(float learningRate, int warmupSteps) : this(new Constant(learningRate), warmupSteps) { }

    /// <inheritdoc/>
    public float Rate(int step) => step < warmupSteps ? after.Rate(0) * (step + 1) / warmupSteps : after.Rate(step - warmupSteps);

    private sealed class Constant(float rate) : ILearningRateSchedule
    {
        public float Rate(int step) => rate;
    }
}
