namespace Nerva.Schedules;

/// <summary>Multiplies the rate by a factor every few steps (PyTorch's StepLR): initial·factor^⌊step/stepSize⌋.</summary>
public sealed class StepDecay : ILearningRateSchedule
{
    /// <summary>A rate that starts at <paramref name="initialLearningRate"/> and is multiplied by <paramref name="factor"/> every <paramref name="stepSize"/> steps.</summary>
    /// <param name="initialLearningRate">The rate for the first <paramref name="stepSize"/> steps.</param>
    /// <param name="stepSize">The number of steps between decays (positive).</param>
    /// <param name="factor">The multiplier applied at each decay (PyTorch's gamma).</param>
    public StepDecay(float initialLearningRate, int stepSize, float factor = 0.1f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        InitialLearningRate = initialLearningRate;
        StepSize = stepSize;
        Factor = factor;
    }

    /// <summary>The rate for the first <see cref="StepSize"/> steps.</summary>
    public float InitialLearningRate { get; }

    /// <summary>The number of steps between decays.</summary>
    public int StepSize { get; }

    /// <summary>The multiplier applied at each decay.</summary>
    public float Factor { get; }

    /// <inheritdoc/>
    public float Rate(int step) => (float)(InitialLearningRate * Math.Pow(Factor, step / StepSize));

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["initial_learning_rate"] = InitialLearningRate, ["step_size"] = StepSize, ["factor"] = Factor,
    };
}
