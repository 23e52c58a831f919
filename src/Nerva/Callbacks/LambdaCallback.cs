namespace Nerva.Callbacks;

/// <summary>A callback from functions, for one-off hooks (Keras's LambdaCallback).</summary>
public sealed class LambdaCallback(
    Action<int, IReadOnlyDictionary<string, float>>? onEpochEnd = null,
    Action<int, IReadOnlyDictionary<string, float>>? onBatchEnd = null,
    Action<int>? onEpochBegin = null, Action? onTrainBegin = null, Action? onTrainEnd = null) : Callback
{
    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) => onEpochEnd?.Invoke(epoch, logs);

    /// <inheritdoc/>
    public override void OnBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) => onBatchEnd?.Invoke(batch, logs);

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch) => onEpochBegin?.Invoke(epoch);

    /// <inheritdoc/>
    public override void OnTrainBegin() => onTrainBegin?.Invoke();

    /// <inheritdoc/>
    public override void OnTrainEnd() => onTrainEnd?.Invoke();
}
