namespace Nerva.Schedules;

/// <summary>Multiplies the rate by <c>factor</c> every <c>stepSize</c> steps (PyTorch's StepLR).</summary>
public sealed class StepDecay(float initialLearningRate, int stepSize, float factor = 0.1f) : ILearningRateSchedule
{
    /// <inheritdoc/>
    public float Rate(int step) => initialLearningRate * MathF.Pow(factor, step / stepSize);
}
