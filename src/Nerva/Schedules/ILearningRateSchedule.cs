namespace Nerva.Schedules;

/// <summary>A learning rate as a function of the optimizer step (Keras's LearningRateSchedule); set it as <c>optimizer.Schedule</c>.</summary>
public interface ILearningRateSchedule
{
    /// <summary>The rate at step <paramref name="step"/> (0-based: the first update uses step 0).</summary>
    float Rate(int step);

    /// <summary>The constructor's arguments under their Keras names, for saving and display.</summary>
    IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>();
}
