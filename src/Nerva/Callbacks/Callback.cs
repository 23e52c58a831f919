using Nerva.Models;

namespace Nerva.Callbacks;

/// <summary>
/// Hooks into a <see cref="Models.Model"/>'s Fit, as Keras's callbacks: each method receives the logs so far ("loss", "accuracy", "val_loss", ...).
/// </summary>
public abstract class Callback
{
    /// <summary>The model being trained; set before training starts.</summary>
    public Model Model { get; internal set; } = null!;

    /// <summary>Called once before the first epoch.</summary>
    public virtual void OnTrainBegin() { }

    /// <summary>Called once after the last epoch (or after training was stopped).</summary>
    public virtual void OnTrainEnd() { }

    /// <summary>Called before each epoch (numbered from 0).</summary>
    public virtual void OnEpochBegin(int epoch) { }

    /// <summary>Called after each epoch with its training and validation results.</summary>
    public virtual void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) { }

    /// <summary>Called after each training batch with the running results of the epoch.</summary>
    public virtual void OnBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) { }
}
