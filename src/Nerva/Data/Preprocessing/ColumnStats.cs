namespace Nerva.Data.Preprocessing;

/// <summary>
/// Per-column statistics of a row-major [rows, cols] matrix, in double precision and ignoring NaN
/// (missing values), as scikit-learn's scalers do with np.nanmean / np.nanpercentile.
/// </summary>
internal static class ColumnStats
{
    /// <summary>The mean of each column's non-missing values (NaN for a column with none).</summary>
    public static double[] Mean(float[] x, int rows, int cols)
    {
        var sum = new double[cols];
        var count = new int[cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                float v = x[i * cols + j];
                if (float.IsNaN(v)) continue;
                sum[j] += v;
                count[j]++;
            }
        for (int j = 0; j < cols; j++) sum[j] = count[j] > 0 ? sum[j] / count[j] : double.NaN;
        return sum;
    }

    /// <summary>The population variance (divide by n, as sklearn) about <paramref name="mean"/>; two passes for accuracy.</summary>
    public static double[] Variance(float[] x, int rows, int cols, double[] mean)
    {
        var sum = new double[cols];
        var count = new int[cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
            {
                float v = x[i * cols + j];
                if (float.IsNaN(v)) continue;
                double d = v - mean[j];
                sum[j] += d * d;
                count[j]++;
            }
        for (int j = 0; j < cols; j++) sum[j] = count[j] > 0 ? sum[j] / count[j] : double.NaN;
        return sum;
    }

    /// <summary>Each column's non-missing values, sorted ascending: the input to percentiles and modes.</summary>
    public static double[][] SortedColumns(float[] x, int rows, int cols)
    {
        var result = new double[cols][];
        var buffer = new double[rows];
        for (int j = 0; j < cols; j++)
        {
            int n = 0;
            for (int i = 0; i < rows; i++)
            {
                float v = x[i * cols + j];
                if (!float.IsNaN(v)) buffer[n++] = v;
            }
            var column = buffer.AsSpan(0, n).ToArray();
            Array.Sort(column);
            result[j] = column;
        }
        return result;
    }

    /// <summary>
    /// The <paramref name="q"/>-th percentile (0..100) of sorted values with linear interpolation,
    /// NumPy's default: position q/100 * (n - 1) between the two nearest ranks. NaN when empty.
    /// </summary>
    public static double Percentile(double[] sorted, double q)
    {
        if (sorted.Length == 0) return double.NaN;
        double pos = q / 100.0 * (sorted.Length - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        double frac = pos - lo;
        return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
    }

    /// <summary>
    /// The scale to divide by, with sklearn's _handle_zeros_in_scale: a (near-)zero scale, from a
    /// constant column, becomes 1 so the column is only shifted, never divided by zero.
    /// </summary>
    public static float SafeScale(double scale) =>
        double.IsNaN(scale) || scale < 10 * MachineEpsilon ? 1f : (float)scale;

    /// <summary>The gap between 1 and the next double (NumPy's finfo(float64).eps; not <see cref="double.Epsilon"/>).</summary>
    public const double MachineEpsilon = 2.220446049250313e-16;
}
