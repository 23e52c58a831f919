namespace Nerva.Callbacks;

/// <summary>
/// Stops training when the monitored quantity has not improved by more than <c>minDelta</c> for
/// <c>patience</c> epochs; optionally restores the weights of the best epoch (Keras's EarlyStopping).
/// </summary>
public sealed class EarlyStopping(string monitor = "val_loss", float minDelta = 0, int patience = 0, string mode = "auto", bool restoreBestWeights = false) : Callback
{
    private readonly bool higher = MonitorMode.HigherIsBetter(mode, monitor);
    private float best;
    private int wait;
    private float[][]? bestWeights;

    /// <summary>The epoch training stopped at, or -1 if it ran to the end.</summary>
    public int StoppedEpoch { get; private set; } = -1;

    /// <summary>The epoch with the best monitored value.</summary>
    public int BestEpoch { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin()
    {
        best = higher ? float.NegativeInfinity : float.PositiveInfinity;
        wait = 0;
        StoppedEpoch = -1;
        bestWeights = null;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        float current = MonitorMode.Read(logs, monitor, nameof(EarlyStopping));
        bool improved = higher ? current - minDelta > best : current + minDelta < best;
        if (improved)
        {
            best = current;
            BestEpoch = epoch;
            wait = 0;
            if (restoreBestWeights) bestWeights = [.. Model.Weights.Select(w => w.ToArray())];
            return;
        }
        // As Keras: stop once `patience` epochs in a row failed to improve (never after the first epoch).
        if (++wait >= patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            Model.StopTraining = true;
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd()
    {
        if (restoreBestWeights && bestWeights is not null && StoppedEpoch >= 0)
        {
            var weights = Model.Weights;
            for (int i = 0; i < weights.Count; i++) bestWeights[i].CopyTo(weights[i].Data, 0);
        }
    }
}
