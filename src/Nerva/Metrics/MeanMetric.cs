namespace Nerva.Metrics;

/// <summary>A weighted running mean of a per-sample value; the accuracies, MAE and MSE are such means.</summary>
public abstract class MeanMetric : Metric
{
    private double sum, weight;

    /// <summary>The per-sample values of one batch, one per sample.</summary>
    protected abstract float[] Values(Tensor yTrue, Tensor yPred);

    /// <inheritdoc/>
    public override void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        var values = Values(yTrue, yPred);
        var weights = Weights(sampleWeight, values.Length, Name);
        for (int i = 0; i < values.Length; i++)
        {
            sum += (double)values[i] * weights[i];
            weight += weights[i];
        }
    }

    /// <inheritdoc/>
    public override float Result() => weight == 0 ? 0f : (float)(sum / weight);

    /// <inheritdoc/>
    public override void Reset() => sum = weight = 0;

    /// <summary>Per-sample means of a [n, ...] tensor over everything but the first axis.</summary>
    protected static float[] RowMeans(Tensor t) => RowMeans(t.ToArray(), Samples(t));

    /// <summary>Per-sample means of row-major values holding <paramref name="n"/> equal rows.</summary>
    protected static float[] RowMeans(float[] data, int n)
    {
        int width = n == 0 ? 0 : data.Length / n;
        var means = new float[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < width; j++) s += data[i * width + j];
            means[i] = (float)(s / width);
        }
        return means;
    }

    /// <summary>Targets, detached, in the predictions' shape when only a trailing axis of 1 differs ([n] against [n, 1]).</summary>
    protected Tensor Aligned(Tensor yTrue, Tensor yPred)
    {
        var t = yTrue.Dims.AsSpan();
        var p = yPred.Dims.AsSpan();
        bool ok = t.SequenceEqual(p)
               || (t.Length == p.Length + 1 && t[^1] == 1 && t[..^1].SequenceEqual(p))
               || (p.Length == t.Length + 1 && p[^1] == 1 && p[..^1].SequenceEqual(t));
        return ok ? yTrue.Detach().Reshape(yPred.Dims)
            : throw ShapeUtil.Error(Name, $"targets shaped like the predictions {ShapeUtil.Format(yPred.Dims)}", ShapeUtil.Format(yTrue.Dims));
    }

    /// <summary>1 where the two class lists agree, else 0.</summary>
    protected float[] Matches(float[] actual, float[] predicted)
    {
        if (actual.Length != predicted.Length) throw ShapeUtil.Error(Name, $"{predicted.Length} targets", actual.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var result = new float[actual.Length];
        for (int i = 0; i < result.Length; i++) result[i] = actual[i] == predicted[i] ? 1f : 0f;
        return result;
    }
}
