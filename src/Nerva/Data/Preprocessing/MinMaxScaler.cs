namespace Nerva.Data.Preprocessing;

/// <summary>
/// Scales each feature to a given range, as scikit-learn's MinMaxScaler:
/// y = x * scale + offset, with scale = (max - min) / (dataMax - dataMin) and offset = min - dataMin * scale.
/// </summary>
/// <remarks>A constant column is only shifted (its data range counts as 1). Missing values (NaN) are ignored by Fit.</remarks>
/// <param name="min">The low end of the target range.</param>
/// <param name="max">The high end of the target range.</param>
/// <param name="clip">Whether transformed values outside [min, max] (from unseen data) are clipped into it.</param>
public sealed class MinMaxScaler(float min = 0f, float max = 1f, bool clip = false) : Transformer
{
    private float[]? dataMin, dataMax, scale, offset;

    /// <summary>The low end of the target range.</summary>
    public float Min { get; } = min < max ? min
        : throw new ArgumentException($"MinMaxScaler: expected min < max for the feature range, got [{min}, {max}].");

    /// <summary>The high end of the target range.</summary>
    public float Max { get; } = max;

    /// <summary>Whether transformed values are clipped into [Min, Max].</summary>
    public bool Clip { get; } = clip;

    /// <summary>The per-feature minimum seen by Fit.</summary>
    public IReadOnlyList<float>? DataMin => dataMin;

    /// <summary>The per-feature maximum seen by Fit.</summary>
    public IReadOnlyList<float>? DataMax => dataMax;

    /// <summary>The per-feature factor (sklearn's scale_).</summary>
    public IReadOnlyList<float>? Scale => scale;

    /// <summary>The per-feature term added after scaling (sklearn's min_).</summary>
    public IReadOnlyList<float>? Offset => offset;

    private protected override void FitCore(float[] x, int rows, int cols)
    {
        dataMin = new float[cols];
        dataMax = new float[cols];
        scale = new float[cols];
        offset = new float[cols];
        var sorted = ColumnStats.SortedColumns(x, rows, cols);
        for (int j = 0; j < cols; j++)
        {
            double lo = sorted[j].Length > 0 ? sorted[j][0] : double.NaN;
            double hi = sorted[j].Length > 0 ? sorted[j][^1] : double.NaN;
            double s = (Max - (double)Min) / ColumnStats.SafeScale(hi - lo);
            dataMin[j] = (float)lo;
            dataMax[j] = (float)hi;
            scale[j] = (float)s;
            offset[j] = (float)(Min - lo * s);
        }
    }

    private protected override Tensor TransformCore(float[] x, int rows)
    {
        var y = ScaleShift(x, rows, scale!, offset!);
        if (Clip)
            for (int i = 0; i < y.Data.Length; i++) y.Data[i] = Math.Clamp(y.Data[i], Min, Max);
        return y;
    }

    /// <summary>Maps scaled values back: x = (y - offset) / scale.</summary>
    public override Tensor InverseTransform(Tensor x)
    {
        int rows = CheckFitted(x, "InverseTransform");
        return CenterScale(x.Data, rows, offset!, scale!);
    }

    /// <summary>Restores a scaler saved by <see cref="Transformer.ToJson"/>.</summary>
    public static MinMaxScaler FromJson(string json)
    {
        const string type = nameof(MinMaxScaler);
        var (config, features, state) = TransformerJson.Read<Config, State>(json, type);
        var s = TransformerJson.Create(type, () => new MinMaxScaler(config.Min, config.Max, config.Clip));
        if (state is null) return s;
        s.dataMin = TransformerJson.Checked(state.DataMin, features, "dataMin", type);
        s.dataMax = TransformerJson.Checked(state.DataMax, features, "dataMax", type);
        s.scale = TransformerJson.Checked(state.Scale, features, "scale", type);
        s.offset = TransformerJson.Checked(state.Offset, features, "offset", type);
        s.SetFitted(features);
        return s;
    }

    private protected override object GetConfig() => new Config(Min, Max, Clip);

    private protected override object GetState() => new State(dataMin!, dataMax!, scale!, offset!);

    private sealed record Config(float Min, float Max, bool Clip);

    private sealed record State(float[]? DataMin, float[]? DataMax, float[]? Scale, float[]? Offset);
}
