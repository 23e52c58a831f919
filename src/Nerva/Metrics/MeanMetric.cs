namespace Nerva.Metrics;

/// <summary>A weighted running mean of a per-sample value; accuracy, MAE and MSE are such means.</summary>
public abstract class MeanMetric : Metric
{
    private double sum, weight;

    /// <summary>The per-sample values of one batch.</summary>
    protected abstract float[] Values(Tensor yTrue, Tensor yPred);

    /// <inheritdoc/>
    public override void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        var values = Values(yTrue, yPred);
        var weights = Weights(sampleWeight, values.Length);
        if (weights.Length != values.Length)
            throw ShapeUtil.Error(Name, $"{values.Length} sample weights", weights.Length.ToString());
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
    protected static float[] RowMeans(Tensor t)
    {
        var data = t.ToArray();
        int n = t.Rank == 0 ? 1 : t.Dims[0], width = n == 0 ? 0 : data.Length / n;
        var means = new float[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < width; j++) s += data[i * width + j];
            means[i] = (float)(s / width);
        }
        return means;
    }

    /// <summary>Targets reshaped to the predictions when only their layout differs ([n] vs [n, 1]).</summary>
    protected Tensor Aligned(Tensor yTrue, Tensor yPred) =>
        yTrue.Size == yPred.Size ? yTrue.Reshape(yPred.Dims)
        : throw ShapeUtil.Error(Name, $"targets shaped like the predictions {ShapeUtil.Format(yPred.Dims)}", ShapeUtil.Format(yTrue.Dims));
}
