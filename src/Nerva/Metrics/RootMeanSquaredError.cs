namespace Nerva.Metrics;

/// <summary>The square root of the mean squared error over everything seen.</summary>
public sealed class RootMeanSquaredError : Metric
{
    private readonly MeanSquaredErrorMetric mse = new();

    /// <inheritdoc/>
    public override string Name => "rmse";

    /// <inheritdoc/>
    public override void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null) => mse.Update(yTrue, yPred, sampleWeight);

    /// <inheritdoc/>
    public override float Result() => MathF.Sqrt(mse.Result());

    /// <inheritdoc/>
    public override void Reset() => mse.Reset();
}
