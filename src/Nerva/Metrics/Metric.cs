namespace Nerva.Metrics;

/// <summary>
/// A quality measure accumulated over batches (Keras's Metric): Update with each batch, read
/// Result, Reset between epochs. Metrics never record gradients.
/// </summary>
public abstract class Metric
{
    /// <summary>The name used in logs, e.g. "accuracy".</summary>
    public abstract string Name { get; }

    /// <summary>Adds a batch of targets and predictions (with optional per-sample weights).</summary>
    public abstract void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null);

    /// <summary>The value over everything added since the last reset.</summary>
    public abstract float Result();

    /// <summary>Forgets everything added.</summary>
    public abstract void Reset();

    /// <summary>Class indices from labels given as indices [n] / [n, 1] or as one-hot / score rows [n, classes].</summary>
    internal static float[] Classes(Tensor t) => t.Rank >= 2 && t.Dims[^1] > 1 ? t.ArgMax(-1).ToArray() : t.ToArray();

    /// <summary>Per-sample weights (ones when none are given).</summary>
    internal static float[] Weights(Tensor? sampleWeight, int count) =>
        sampleWeight?.ToArray() ?? Enumerable.Repeat(1f, count).ToArray();
}
