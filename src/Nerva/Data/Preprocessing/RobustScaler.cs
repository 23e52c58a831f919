namespace Nerva.Data.Preprocessing;

/// <summary>
/// Scales features with statistics robust to outliers, as scikit-learn's RobustScaler:
/// y = (x - median) / (q[quantileMax] - q[quantileMin]), the interquartile range by default.
/// </summary>
/// <remarks>
/// Percentiles interpolate linearly between ranks (NumPy's default). A zero range becomes 1.
/// Missing values (NaN) are ignored by Fit and stay NaN in Transform.
/// </remarks>
/// <param name="withCentering">Whether to subtract the median.</param>
/// <param name="withScaling">Whether to divide by the quantile range.</param>
/// <param name="quantileMin">The lower percentile of the range, in [0, 100].</param>
/// <param name="quantileMax">The upper percentile of the range, in [0, 100].</param>
public sealed class RobustScaler(bool withCentering = true, bool withScaling = true, float quantileMin = 25f, float quantileMax = 75f) : Transformer
{
    private float[]? center, scale;

    /// <summary>Whether the median is subtracted.</summary>
    public bool WithCentering { get; } = withCentering;

    /// <summary>Whether values are divided by the quantile range.</summary>
    public bool WithScaling { get; } = withScaling;

    /// <summary>The lower percentile of the range.</summary>
    public float QuantileMin { get; } = 0 <= quantileMin && quantileMin <= quantileMax && quantileMax <= 100 ? quantileMin
        : throw new ArgumentException($"RobustScaler: expected 0 <= quantileMin <= quantileMax <= 100, got ({quantileMin}, {quantileMax}).");

    /// <summary>The upper percentile of the range.</summary>
    public float QuantileMax { get; } = quantileMax;

    /// <summary>The per-feature median seen by Fit (zeros when not <see cref="WithCentering"/>).</summary>
    public IReadOnlyList<float>? Center => center;

    /// <summary>The per-feature quantile range seen by Fit (ones when not <see cref="WithScaling"/>).</summary>
    public IReadOnlyList<float>? Scale => scale;

    private protected override void FitCore(float[] x, int rows, int cols)
    {
        var sorted = ColumnStats.SortedColumns(x, rows, cols);
        center = new float[cols];
        scale = new float[cols];
        for (int j = 0; j < cols; j++)
        {
            center[j] = WithCentering ? (float)ColumnStats.Percentile(sorted[j], 50) : 0f;
            double range = ColumnStats.Percentile(sorted[j], QuantileMax) - ColumnStats.Percentile(sorted[j], QuantileMin);
            scale[j] = WithScaling ? ColumnStats.SafeScale(range) : 1f;
        }
    }

    private protected override Tensor TransformCore(float[] x, int rows) => CenterScale(x, rows, center!, scale!);

    /// <summary>Maps scaled values back: x = y * scale + center.</summary>
    public override Tensor InverseTransform(Tensor x)
    {
        int rows = CheckFitted(x, "InverseTransform");
        return ScaleShift(x.Data, rows, scale!, center!);
    }

    /// <summary>Restores a scaler saved by <see cref="Transformer.ToJson"/>.</summary>
    public static RobustScaler FromJson(string json)
    {
        const string type = nameof(RobustScaler);
        var (config, features, state) = TransformerJson.Read<Config, State>(json, type);
        var s = TransformerJson.Create(type, () => new RobustScaler(config.WithCentering, config.WithScaling, config.QuantileMin, config.QuantileMax));
        if (state is null) return s;
        s.center = TransformerJson.Checked(state.Center, features, "center", type);
        s.scale = TransformerJson.Checked(state.Scale, features, "scale", type);
        s.SetFitted(features);
        return s;
    }

    private protected override object GetConfig() => new Config(WithCentering, WithScaling, QuantileMin, QuantileMax);

    private protected override object GetState() => new State(center!, scale!);

    private sealed record Config(bool WithCentering, bool WithScaling, float QuantileMin, float QuantileMax);

    private sealed record State(float[]? Center, float[]? Scale);
}
