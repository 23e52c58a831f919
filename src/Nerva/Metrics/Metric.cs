namespace Nerva.Metrics;

/// <summary>
/// A quality measure accumulated over batches (Keras's Metric): Update with each batch, read
/// Result, Reset between epochs. Metrics read values only and never record gradients.
/// </summary>
public abstract class Metric
{
    /// <summary>The name used in logs, e.g. "accuracy".</summary>
    public abstract string Name { get; }

    /// <summary>Adds a batch of targets and predictions, with optional per-sample weights [batch].</summary>
    public abstract void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null);

    /// <summary>The value over everything added since the last reset.</summary>
    public abstract float Result();

    /// <summary>Forgets everything added.</summary>
    public abstract void Reset();

    /// <summary>Class indices from labels given as indices [n] / [n, 1], or as one-hot or score rows [n, classes] (argmax).</summary>
    internal static float[] Classes(Tensor t) => t.Rank >= 2 && t.Dims[^1] > 1 ? t.ArgMax(-1).ToArray() : t.ToArray();

    /// <summary>Class indices as integers, checked to be whole numbers in [0, <paramref name="limit"/>) when a limit is given.</summary>
    internal static int[] Indices(float[] classes, string owner, int? limit = null)
    {
        var result = new int[classes.Length];
        for (int i = 0; i < classes.Length; i++)
        {
            float c = classes[i];
            if (!(c >= 0 && c == MathF.Floor(c) && c < (limit ?? int.MaxValue)))
                throw ShapeUtil.Error(owner, limit is null ? "class indices 0, 1, 2, ..." : $"class indices in [0, {limit})", c.ToString(System.Globalization.CultureInfo.InvariantCulture));
            result[i] = (int)c;
        }
        return result;
    }

    /// <summary>The per-sample weights for <paramref name="count"/> samples (ones when none are given).</summary>
    internal static float[] Weights(Tensor? sampleWeight, int count, string owner)
    {
        if (sampleWeight is null)
        {
            var ones = new float[count];
            Array.Fill(ones, 1f);
            return ones;
        }
        if (sampleWeight.Size != count)
            throw ShapeUtil.Error(owner, $"{count} sample weights", ShapeUtil.Format(sampleWeight.Dims));
        return sampleWeight.ToArray();
    }

    /// <summary>The number of samples: the first dimension (1 for a scalar).</summary>
    internal static int Samples(Tensor t) => t.Rank == 0 ? 1 : t.Dims[0];
}
