namespace Nerva.Metrics;

/// <summary>
/// The coefficient of determination 1 − SS_res/SS_tot, per output and then averaged uniformly
/// (scikit-learn's r2_score), from streaming sums.
/// </summary>
/// <remarks>
/// SS_tot is accumulated with the weighted Welford/Chan update (a running mean and M2), which
/// stays accurate for targets with a large mean where Σy² − (Σy)²/n would cancel. A constant
/// target scores 1 when predicted exactly and 0 otherwise, as scikit-learn's force_finite.
/// </remarks>
/// <param name="name">The name in logs; "r2_score" by default.</param>
public sealed class R2Score(string? name = null) : Metric
{
    private double[] mean = [], m2 = [], residual2 = [];
    private double total;

    /// <inheritdoc/>
    public override string Name { get; } = name ?? "r2_score";

    /// <inheritdoc/>
    public override void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        var y = yTrue.ToArray();
        var p = yPred.ToArray();
        if (y.Length != p.Length || Samples(yTrue) != Samples(yPred))
            throw ShapeUtil.Error(Name, $"targets shaped like the predictions {ShapeUtil.Format(yPred.Dims)}", ShapeUtil.Format(yTrue.Dims));
        int n = Samples(yPred);
        if (n == 0) return;
        int outputs = p.Length / n;
        if (total == 0) (mean, m2, residual2) = (new double[outputs], new double[outputs], new double[outputs]);
        else if (outputs != mean.Length) throw ShapeUtil.Error(Name, $"{mean.Length} outputs per sample as before", outputs.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var w = Weights(sampleWeight, n, Name);
        for (int i = 0; i < n; i++)
        {
            if (w[i] == 0) continue;
            total += w[i];
            for (int k = 0; k < outputs; k++)
            {
                double yi = y[i * outputs + k], r = yi - p[i * outputs + k];
                // m2 += w·(y − mean_old)·(y − mean_new): Welford's update with weights
                double delta = yi - mean[k];
                mean[k] += delta * w[i] / total;
                m2[k] += w[i] * delta * (yi - mean[k]);
                residual2[k] += w[i] * r * r;
            }
        }
    }

    /// <inheritdoc/>
    public override float Result()
    {
        if (total == 0) return 0f;
        double sum = 0;
        for (int k = 0; k < mean.Length; k++)
            sum += m2[k] == 0 ? (residual2[k] == 0 ? 1 : 0) : 1 - residual2[k] / m2[k];
        return (float)(sum / mean.Length);
    }

    /// <inheritdoc/>
    public override void Reset() => (mean, m2, residual2, total) = ([], [], [], 0);
}
