namespace Nerva.Schedules;

/// <summary>A learning rate as a function of the optimizer step (Keras's LearningRateSchedule).</summary>
public interface ILearningRateSchedule
{
    /// <summary>The rate at step <paramref name="step"/> (0-based).</summary>
    float Rate(int step);
}
