namespace Nerva.Schedules;

/// <summary>initial · rate^(step / decaySteps), with whole periods only when <c>staircase</c> (Keras's ExponentialDecay).</summary>
public sealed class ExponentialDecay(float initialLearningRate, int decaySteps, float decayRate, bool staircase = false) : ILearningRateSchedule
{
    /// <inheritdoc/>
    public float Rate(int step)
    {
        double p = (double)step / decaySteps;
        return (float)(initialLearningRate * Math.Pow(decayRate, staircase ? Math.Floor(p) : p));
    }
}
