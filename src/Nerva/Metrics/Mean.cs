namespace Nerva.Metrics;

/// <summary>The weighted running mean of values, such as the loss over an epoch (Keras's Mean).</summary>
/// <param name="name">The name in logs; "mean" by default.</param>
public sealed class Mean(string? name = null) : Metric
{
    private double sum, weight;

    /// <inheritdoc/>
    public override string Name { get; } = name ?? "mean";

    /// <summary>Adds one value with a weight (e.g. a batch's mean loss weighted by its size).</summary>
    public void Add(float value, float weight = 1f)
    {
        sum += (double)value * weight;
        this.weight += weight;
    }

    /// <summary>Adds every element of <paramref name="values"/>, each with its weight when weights [values.Size] are given.</summary>
    public void Add(Tensor values, Tensor? sampleWeight = null)
    {
        var v = values.ToArray();
        var w = Weights(sampleWeight, v.Length, Name);
        for (int i = 0; i < v.Length; i++) Add(v[i], w[i]);
    }

    /// <summary>Adds the values in <paramref name="yPred"/> (<paramref name="yTrue"/> is ignored), so a Mean can sit among other metrics.</summary>
    public override void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null) => Add(yPred, sampleWeight);

    /// <summary>The weighted mean so far, 0 before any value (as Keras).</summary>
    public override float Result() => weight == 0 ? 0f : (float)(sum / weight);

    /// <inheritdoc/>
    public override void Reset() => sum = weight = 0;
}
