namespace Nerva.Callbacks;

/// <summary>
/// Saves the model after each epoch, or only when the monitored quantity improves
/// (<c>saveBestOnly</c>); "{epoch}" in the path is replaced by the 1-based epoch number.
/// </summary>
public sealed class ModelCheckpoint(string path, string monitor = "val_loss", bool saveBestOnly = false, string mode = "auto", bool saveWeightsOnly = false) : Callback
{
    private readonly bool higher = MonitorMode.HigherIsBetter(mode, monitor);
    private float best;

    /// <inheritdoc/>
    public override void OnTrainBegin() => best = higher ? float.NegativeInfinity : float.PositiveInfinity;

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (saveBestOnly)
        {
            float current = MonitorMode.Read(logs, monitor, nameof(ModelCheckpoint));
            if (higher ? current <= best : current >= best) return;
            best = current;
        }
        var target = path.Replace("{epoch}", (epoch + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (saveWeightsOnly) Model.SaveWeights(target);
        else Model.Save(target);
    }
}
