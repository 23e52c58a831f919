namespace Nerva.Callbacks;

/// <summary>Stops training as soon as a batch's loss is NaN or infinite.</summary>
public sealed class TerminateOnNaN : Callback
{
    /// <summary>The batch at which a non-finite loss was seen, or -1.</summary>
    public int TerminatedAtBatch { get; private set; } = -1;

    /// <inheritdoc/>
    public override void OnBatchEnd(int batch, IReadOnlyDictionary<string, float> logs)
    {
        if (logs.TryGetValue("loss", out var loss) && !float.IsFinite(loss))
        {
            TerminatedAtBatch = batch;
            Model.StopTraining = true;
            Console.WriteLine($"Batch {batch}: invalid loss {loss}, terminating training");
        }
    }
}
