namespace Nerva.Callbacks;

/// <summary>
/// Multiplies the learning rate by <c>factor</c> when the monitored quantity has not improved by
/// <c>minDelta</c> for <c>patience</c> epochs, then waits <c>cooldown</c> epochs, never going below <c>minLr</c>.
/// </summary>
public sealed class ReduceLROnPlateau(string monitor = "val_loss", float factor = 0.1f, int patience = 10, string mode = "auto",
    float minDelta = 1e-4f, int cooldown = 0, float minLr = 0) : Callback
{
    private readonly bool higher = MonitorMode.HigherIsBetter(mode, monitor);
    private float best;
    private int wait, cooldownLeft;

    /// <inheritdoc/>
    public override void OnTrainBegin()
    {
        if (factor is <= 0 or >= 1) throw new ArgumentException($"ReduceLROnPlateau: expected a factor in (0, 1), got {factor}.");
        best = higher ? float.NegativeInfinity : float.PositiveInfinity;
        wait = cooldownLeft = 0;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        float current = MonitorMode.Read(logs, monitor, nameof(ReduceLROnPlateau));
        if (cooldownLeft > 0) cooldownLeft--;
        if (higher ? current - minDelta > best : current + minDelta < best)
        {
            best = current;
            wait = 0;
            return;
        }
        if (cooldownLeft > 0 || ++wait < patience) return;
        var optimizer = Model.Optimizer ?? throw new InvalidOperationException("ReduceLROnPlateau: the model is not compiled.");
        optimizer.LearningRate = Math.Max(optimizer.LearningRate * factor, minLr);
        cooldownLeft = cooldown;
        wait = 0;
    }
}
