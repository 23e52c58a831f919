namespace Nerva.Data.Preprocessing;

/// <summary>
/// Replaces missing values (NaN) column by column, as scikit-learn's SimpleImputer: with the
/// column's "mean", "median" or "most_frequent" value seen by Fit, or a "constant".
/// </summary>
/// <remarks>
/// Ties for "most_frequent" go to the smallest value, as in sklearn. A column with no observed
/// value at all is filled with 0 (sklearn's keep_empty_features=True) rather than dropped, so the
/// output keeps the input's shape.
/// </remarks>
public sealed class SimpleImputer : Transformer
{
    private float[]? statistics;

    /// <summary>Creates an imputer for the strategy "mean", "median", "most_frequent" or "constant" (with <paramref name="fillValue"/>).</summary>
    public SimpleImputer(string strategy = "mean", float fillValue = 0f)
    {
        Strategy = strategy is "mean" or "median" or "most_frequent" or "constant" ? strategy
            : throw new ArgumentException($"SimpleImputer: expected strategy \"mean\", \"median\", \"most_frequent\" or \"constant\", got \"{strategy}\".", nameof(strategy));
        FillValue = fillValue;
    }

    /// <summary>How the fill value of each column is chosen.</summary>
    public string Strategy { get; }

    /// <summary>The value used by the "constant" strategy.</summary>
    public float FillValue { get; }

    /// <summary>The per-feature value that replaces NaN (null before fitting).</summary>
    public IReadOnlyList<float>? Statistics => statistics;

    private protected override void FitCore(float[] x, int rows, int cols)
    {
        var values = new double[cols];
        if (Strategy == "constant") Array.Fill(values, FillValue);
        else if (Strategy == "mean") values = ColumnStats.Mean(x, rows, cols);
        else
        {
            var sorted = ColumnStats.SortedColumns(x, rows, cols);
            for (int j = 0; j < cols; j++)
                values[j] = Strategy == "median" ? ColumnStats.Percentile(sorted[j], 50) : MostFrequent(sorted[j]);
        }
        statistics = new float[cols];
        for (int j = 0; j < cols; j++) statistics[j] = double.IsNaN(values[j]) ? 0f : (float)values[j];
    }

    /// <summary>The value with the longest run in sorted order; the first (smallest) wins ties.</summary>
    private static double MostFrequent(double[] sorted)
    {
        double best = double.NaN;
        int bestCount = 0;
        for (int i = 0; i < sorted.Length;)
        {
            int run = 1;
            while (i + run < sorted.Length && sorted[i + run] == sorted[i]) run++;
            if (run > bestCount) (best, bestCount) = (sorted[i], run);
            i += run;
        }
        return best;
    }

    private protected override Tensor TransformCore(float[] x, int rows)
    {
        int cols = FeatureCount;
        var y = (float[])x.Clone();
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                if (float.IsNaN(y[i * cols + j])) y[i * cols + j] = statistics![j];
        return new Tensor(y, [rows, cols]);
    }

    /// <summary>Restores an imputer saved by <see cref="Transformer.ToJson"/>.</summary>
    public static SimpleImputer FromJson(string json)
    {
        const string type = nameof(SimpleImputer);
        var (config, features, state) = TransformerJson.Read<Config, State>(json, type);
        var s = TransformerJson.Create(type, () => new SimpleImputer(config.Strategy ?? "mean", config.FillValue));
        if (state is null) return s;
        s.statistics = TransformerJson.Checked(state.Statistics, features, "statistics", type);
        s.SetFitted(features);
        return s;
    }

    private protected override object GetConfig() => new Config(Strategy, FillValue);

    private protected override object GetState() => new State(statistics!);

    private sealed record Config(string? Strategy, float FillValue);

    private sealed record State(float[]? Statistics);
}
