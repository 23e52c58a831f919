namespace Nerva.Data.Preprocessing;

/// <summary>
/// Finds and removes outlying samples of a [samples, features] tensor, by z-score (a value more than
/// threshold population standard deviations from its column's mean) or by Tukey's IQR fences
/// (a value outside [Q1 - factor * IQR, Q3 + factor * IQR]). A row is dropped when any of its values is.
/// </summary>
/// <remarks>
/// Statistics come from the data given (fit and filter in one step; filter training data only).
/// Missing values (NaN) are ignored by the statistics and never make a row an outlier; a constant
/// column has no outliers.
/// </remarks>
public static class Outliers
{
    /// <summary>The indices of the rows whose every |z-score| is at most <paramref name="threshold"/>, ascending.</summary>
    public static int[] KeptRowsZScore(Tensor x, float threshold = 3f)
    {
        var (rows, cols) = CheckMatrix(x, "Outliers.KeptRowsZScore");
        if (!(threshold > 0)) throw new ArgumentException($"Outliers.KeptRowsZScore: expected threshold > 0, got {threshold}.", nameof(threshold));
        var mean = ColumnStats.Mean(x.Data, rows, cols);
        var variance = ColumnStats.Variance(x.Data, rows, cols, mean);
        var lo = new double[cols];
        var hi = new double[cols];
        for (int j = 0; j < cols; j++)
        {
            double std = Math.Sqrt(variance[j]);
            // A zero std means a constant column: scipy's z-score would be NaN there, i.e. never an outlier.
            (lo[j], hi[j]) = std > 0 ? (mean[j] - threshold * std, mean[j] + threshold * std) : (double.NegativeInfinity, double.PositiveInfinity);
        }
        return Inside(x.Data, rows, lo, hi);
    }

    /// <summary>The indices of the rows whose every value lies within the IQR fences, ascending.</summary>
    public static int[] KeptRowsIqr(Tensor x, float factor = 1.5f)
    {
        var (rows, cols) = CheckMatrix(x, "Outliers.KeptRowsIqr");
        if (!(factor >= 0)) throw new ArgumentException($"Outliers.KeptRowsIqr: expected factor >= 0, got {factor}.", nameof(factor));
        var sorted = ColumnStats.SortedColumns(x.Data, rows, cols);
        var lo = new double[cols];
        var hi = new double[cols];
        for (int j = 0; j < cols; j++)
        {
            double q1 = ColumnStats.Percentile(sorted[j], 25), q3 = ColumnStats.Percentile(sorted[j], 75);
            (lo[j], hi[j]) = (q1 - factor * (q3 - q1), q3 + factor * (q3 - q1));
        }
        return Inside(x.Data, rows, lo, hi);
    }

    /// <summary><paramref name="x"/> without the rows that have a value beyond <paramref name="threshold"/> standard deviations.</summary>
    public static Tensor RemoveZScore(Tensor x, float threshold = 3f) => RowSelect.Rows(x, KeptRowsZScore(x, threshold));

    /// <summary><paramref name="x"/> and <paramref name="y"/> without the rows where <paramref name="x"/> has a value beyond <paramref name="threshold"/> standard deviations.</summary>
    public static (Tensor X, Tensor Y) RemoveZScore(Tensor x, Tensor y, float threshold = 3f)
    {
        RowSelect.CheckSameRows(x, y, "Outliers.RemoveZScore");
        var kept = KeptRowsZScore(x, threshold);
        return (RowSelect.Rows(x, kept), RowSelect.Rows(y, kept));
    }

    /// <summary><paramref name="x"/> without the rows that have a value outside the IQR fences.</summary>
    public static Tensor RemoveIqr(Tensor x, float factor = 1.5f) => RowSelect.Rows(x, KeptRowsIqr(x, factor));

    /// <summary><paramref name="x"/> and <paramref name="y"/> without the rows where <paramref name="x"/> has a value outside the IQR fences.</summary>
    public static (Tensor X, Tensor Y) RemoveIqr(Tensor x, Tensor y, float factor = 1.5f)
    {
        RowSelect.CheckSameRows(x, y, "Outliers.RemoveIqr");
        var kept = KeptRowsIqr(x, factor);
        return (RowSelect.Rows(x, kept), RowSelect.Rows(y, kept));
    }

    private static int[] Inside(float[] x, int rows, double[] lo, double[] hi)
    {
        int cols = lo.Length;
        var kept = new List<int>(rows);
        for (int i = 0; i < rows; i++)
        {
            bool inside = true;
            for (int j = 0; j < cols && inside; j++)
            {
                float v = x[i * cols + j];
                // Written as "not outside" so that NaN (missing) counts as inside.
                inside = !(v < lo[j] || v > hi[j]);
            }
            if (inside) kept.Add(i);
        }
        return kept.ToArray();
    }

    private static (int Rows, int Cols) CheckMatrix(Tensor x, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2) throw ShapeUtil.Error(op, "a 2-D tensor [samples, features]", $"shape {ShapeUtil.Format(x.Dims)}");
        return (x.Dims[0], x.Dims[1]);
    }
}
