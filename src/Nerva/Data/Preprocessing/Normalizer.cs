namespace Nerva.Data.Preprocessing;

/// <summary>
/// Scales each sample (row) to unit norm, as scikit-learn's Normalizer: "l1" (sum of absolute
/// values), "l2" (Euclidean) or "max" (largest absolute value). Rows of zeros stay zero.
/// </summary>
/// <remarks>Stateless: Fit only records the feature count, so that later calls are shape-checked.</remarks>
public sealed class Normalizer : Transformer
{
    /// <summary>Creates a normalizer for the norm "l1", "l2" or "max".</summary>
    public Normalizer(string norm = "l2")
    {
        Norm = norm is "l1" or "l2" or "max" ? norm
            : throw new ArgumentException($"Normalizer: expected norm \"l1\", \"l2\" or \"max\", got \"{norm}\".", nameof(norm));
    }

    /// <summary>The norm each row is divided by: "l1", "l2" or "max".</summary>
    public string Norm { get; }

    private protected override void FitCore(float[] x, int rows, int cols) { }

    private protected override Tensor TransformCore(float[] x, int rows)
    {
        int cols = FeatureCount;
        var y = new float[x.Length];
        for (int i = 0; i < rows; i++)
        {
            var row = x.AsSpan(i * cols, cols);
            double norm = RowNorm(row);
            // sklearn leaves zero rows as they are rather than dividing by zero.
            if (norm == 0) norm = 1;
            for (int j = 0; j < cols; j++) y[i * cols + j] = (float)(row[j] / norm);
        }
        return new Tensor(y, [rows, cols]);
    }

    private double RowNorm(ReadOnlySpan<float> row)
    {
        double norm = 0;
        switch (Norm)
        {
            case "l1":
                foreach (float v in row) norm += Math.Abs(v);
                return norm;
            case "l2":
                foreach (float v in row) norm += (double)v * v;
                return Math.Sqrt(norm);
            default:
                foreach (float v in row) norm = Math.Max(norm, Math.Abs(v));
                return norm;
        }
    }

    /// <summary>Restores a normalizer saved by <see cref="Transformer.ToJson"/>.</summary>
    public static Normalizer FromJson(string json)
    {
        var (config, features, state) = TransformerJson.Read<Config, State>(json, nameof(Normalizer));
        var n = TransformerJson.Create(nameof(Normalizer), () => new Normalizer(config.Norm ?? "l2"));
        if (state is not null) n.SetFitted(features);
        return n;
    }

    private protected override object GetConfig() => new Config(Norm);

    private protected override object GetState() => new State();

    private sealed record Config(string? Norm);

    private sealed record State;
}
