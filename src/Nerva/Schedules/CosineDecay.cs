namespace Nerva.Schedules;

/// <summary>
/// Cosine annealing from the initial rate to initial·alpha over <c>decaySteps</c> (Loshchilov and Hutter
/// 2017; Keras's CosineDecay): initial·((1 − α)·½(1 + cos(π·min(step, T)/T)) + α).
/// </summary>
public sealed class CosineDecay(float initialLearningRate, int decaySteps, float alpha = 0f) : ILearningRateSchedule
{
    /// <inheritdoc/>
    public float Rate(int step)
    {
        double progress = Math.Min(step, decaySteps) / (double)decaySteps;
        return (float)(initialLearningRate * ((1 - alpha) * 0.5 * (1 + Math.Cos(Math.PI * progress)) + alpha));
    }
}
