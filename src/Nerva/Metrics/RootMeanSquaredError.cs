namespace Nerva.Metrics;

/// <summary>The square root of the mean squared error over everything seen (Keras's RootMeanSquaredError).</summary>
/// <param name="name">The name in logs; "root_mean_squared_error" by default.</param>
public sealed class RootMeanSquaredError(string? name = null) : Metric
{
    private readonly MeanSquaredErrorMetric mse = new(name ?? "root_mean_squared_error");

    /// <inheritdoc/>
    public override string Name => mse.Name;

    /// <inheritdoc/>
    public override void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null) => mse.Update(yTrue, yPred, sampleWeight);

    // √(Σ wᵢ·mseᵢ / Σ wᵢ): the root of the pooled mean, not a mean of batch roots
    /// <inheritdoc/>
    public override float Result() => MathF.Sqrt(mse.Result());

    /// <inheritdoc/>
    public override void Reset() => mse.Reset();
}
