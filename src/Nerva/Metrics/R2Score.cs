namespace Nerva.Metrics;

/// <summary>The coefficient of determination 1 − SS_res/SS_tot over all outputs seen, from streaming sums (uniform average over outputs).</summary>
public sealed class R2Score : Metric
{
    private double[] sumY = [], sumY2 = [], sumResidual2 = [];
    private double count;

    /// <inheritdoc/>
    public override string Name => "r2";

    /// <inheritdoc/>
    public override void Update(Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null)
    {
        var y = yTrue.ToArray();
        var p = yPred.ToArray();
        if (y.Length != p.Length) throw ShapeUtil.Error(Name, $"targets shaped like {ShapeUtil.Format(yPred.Dims)}", ShapeUtil.Format(yTrue.Dims));
        int n = yPred.Rank == 0 ? 1 : yPred.Dims[0], outputs = n == 0 ? 1 : p.Length / n;
        if (sumY.Length != outputs) (sumY, sumY2, sumResidual2) = (new double[outputs], new double[outputs], new double[outputs]);
        var w = Weights(sampleWeight, n);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < outputs; k++)
            {
                double yi = y[i * outputs + k], r = yi - p[i * outputs + k];
                sumY[k] += w[i] * yi;
                sumY2[k] += w[i] * yi * yi;
                sumResidual2[k] += w[i] * r * r;
            }
        count += w.Sum();
    }

    /// <inheritdoc/>
    public override float Result()
    {
        if (count == 0) return 0f;
        double total = 0;
        for (int k = 0; k < sumY.Length; k++)
        {
            double ssTot = sumY2[k] - sumY[k] * sumY[k] / count;
            total += ssTot == 0 ? (sumResidual2[k] == 0 ? 1 : 0) : 1 - sumResidual2[k] / ssTot;
        }
        return (float)(total / sumY.Length);
    }

    /// <inheritdoc/>
    public override void Reset() => (sumY, sumY2, sumResidual2, count) = ([], [], [], 0);
}
