namespace Nerva.Data.Preprocessing;

/// <summary>
/// Standardises features by removing the mean and scaling to unit variance, as scikit-learn's
/// StandardScaler: z = (x - mean) / std with the population std (divide by n).
/// </summary>
/// <remarks>
/// A constant column keeps scale 1 (it is centred, not divided by zero). Missing values (NaN) are
/// ignored by Fit and stay NaN in Transform.
/// </remarks>
/// <example><code>
/// var scaler = new StandardScaler();
/// var xTrainScaled = scaler.FitTransform(xTrain);
/// var xTestScaled = scaler.Transform(xTest);
/// </code></example>
/// <param name="withMean">Whether to subtract the mean.</param>
/// <param name="withStd">Whether to divide by the standard deviation.</param>
public sealed class StandardScaler(bool withMean = true, bool withStd = true) : Transformer
{
    private float[]? mean, variance, scale;

    /// <summary>Whether the mean is subtracted.</summary>
    public bool WithMean { get; } = withMean;

    /// <summary>Whether values are divided by the standard deviation.</summary>
    public bool WithStd { get; } = withStd;

    /// <summary>The per-feature mean seen by Fit (null before fitting).</summary>
    public IReadOnlyList<float>? Mean => mean;

    /// <summary>The per-feature population variance seen by Fit (null before fitting).</summary>
    public IReadOnlyList<float>? Variance => variance;

    /// <summary>The per-feature divisor: the std, or 1 for constant features and when not <see cref="WithStd"/>.</summary>
    public IReadOnlyList<float>? Scale => scale;

    private protected override void FitCore(float[] x, int rows, int cols)
    {
        var m = ColumnStats.Mean(x, rows, cols);
        var v = ColumnStats.Variance(x, rows, cols, m);
        mean = new float[cols];
        variance = new float[cols];
        scale = new float[cols];
        for (int j = 0; j < cols; j++)
        {
            mean[j] = (float)m[j];
            variance[j] = (float)v[j];
            // sklearn's _is_constant_feature: a variance within rounding error of zero is zero.
            double bound = rows * ColumnStats.MachineEpsilon * v[j] + Math.Pow(rows * m[j] * ColumnStats.MachineEpsilon, 2);
            scale[j] = !WithStd || v[j] <= bound ? 1f : ColumnStats.SafeScale(Math.Sqrt(v[j]));
        }
    }

    private protected override Tensor TransformCore(float[] x, int rows) => CenterScale(x, rows, Center(), scale!);

    /// <summary>Maps standardised values back: x = z * scale + mean.</summary>
    public override Tensor InverseTransform(Tensor x)
    {
        int rows = CheckFitted(x, "InverseTransform");
        return ScaleShift(x.Data, rows, scale!, Center());
    }

    private float[] Center() => WithMean ? mean! : new float[FeatureCount];

    /// <summary>Restores a scaler saved by <see cref="Transformer.ToJson"/>.</summary>
    public static StandardScaler FromJson(string json)
    {
        const string type = nameof(StandardScaler);
        var (config, features, state) = TransformerJson.Read<Config, State>(json, type);
        var s = TransformerJson.Create(type, () => new StandardScaler(config.WithMean, config.WithStd));
        if (state is null) return s;
        s.mean = TransformerJson.Checked(state.Mean, features, "mean", type);
        s.variance = TransformerJson.Checked(state.Variance, features, "variance", type);
        s.scale = TransformerJson.Checked(state.Scale, features, "scale", type);
        s.SetFitted(features);
        return s;
    }

    private protected override object GetConfig() => new Config(WithMean, WithStd);

    private protected override object GetState() => new State(mean!, variance!, scale!);

    private sealed record Config(bool WithMean, bool WithStd);

    private sealed record State(float[]? Mean, float[]? Variance, float[]? Scale);
}
