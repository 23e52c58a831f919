namespace Nerva.Metrics;

/// <summary>A weighted running mean of scalar values, such as the loss over an epoch (Keras's Mean metric).</summary>
public sealed class MeanTracker(string name = "mean")
{
    private double sum, weight;

    /// <summary>The name used in logs.</summary>
    public string Name { get; } = name;

    /// <summary>Adds a value with a weight (e.g. a batch's mean loss weighted by its size).</summary>
    public void Add(float value, float weight = 1f)
    {
        sum += (double)value * weight;
        this.weight += weight;
    }

    /// <summary>The weighted mean so far (NaN before any value).</summary>
    public float Result() => weight == 0 ? float.NaN : (float)(sum / weight);

    /// <summary>Forgets every value.</summary>
    public void Reset() => sum = weight = 0;
}
