namespace Nerva.Callbacks;

/// <summary>Sets the optimizer's learning rate at the start of each epoch from schedule(epoch, currentRate) (Keras's LearningRateScheduler).</summary>
public sealed class LearningRateScheduler(Func<int, float, float> schedule) : Callback
{
    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch)
    {
        var optimizer = Model.Optimizer ?? throw new InvalidOperationException("LearningRateScheduler: the model is not compiled.");
        optimizer.LearningRate = schedule(epoch, optimizer.LearningRate);
    }
}
