namespace Nerva.Data.Preprocessing;

/// <summary>
/// Finds and removes repeated samples (rows equal in every feature), keeping each row's first
/// occurrence in order, as pandas' drop_duplicates(keep="first").
/// </summary>
/// <remarks>Values compare as numbers, except that NaN equals NaN (a missing value repeats like any other).</remarks>
public static class Duplicates
{
    /// <summary>The indices of the rows of <paramref name="x"/> (any rank, rows along dimension 0) that are not repeats of an earlier row, ascending.</summary>
    public static int[] KeptRows(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0) throw ShapeUtil.Error("Duplicates", "a tensor with a sample dimension", "a scalar");
        int n = x.Dims[0];
        int rowSize = n == 0 ? 0 : x.Size / n;
        // Rows are keyed by their index; the comparer reads the row's values, so nothing is copied.
        var seen = new HashSet<int>(new RowComparer(x.Data, rowSize));
        var kept = new List<int>();
        for (int i = 0; i < n; i++)
            if (seen.Add(i)) kept.Add(i);
        return kept.ToArray();
    }

    /// <summary><paramref name="x"/> without its repeated rows.</summary>
    public static Tensor Remove(Tensor x) => RowSelect.Rows(x, KeptRows(x));

    /// <summary>
    /// <paramref name="x"/> without its repeated rows, and the matching rows of <paramref name="y"/>;
    /// only <paramref name="x"/> decides what is a repeat.
    /// </summary>
    public static (Tensor X, Tensor Y) Remove(Tensor x, Tensor y)
    {
        RowSelect.CheckSameRows(x, y, "Duplicates.Remove");
        var kept = KeptRows(x);
        return (RowSelect.Rows(x, kept), RowSelect.Rows(y, kept));
    }

    private sealed class RowComparer(float[] data, int rowSize) : IEqualityComparer<int>
    {
        public bool Equals(int a, int b)
        {
            var ra = data.AsSpan(a * rowSize, rowSize);
            var rb = data.AsSpan(b * rowSize, rowSize);
            for (int k = 0; k < rowSize; k++)
                if (ra[k] != rb[k] && !(float.IsNaN(ra[k]) && float.IsNaN(rb[k]))) return false;
            return true;
        }

        public int GetHashCode(int row)
        {
            var hash = new HashCode();
            // float.GetHashCode maps 0 and -0 alike, and every NaN alike, matching Equals above.
            foreach (float v in data.AsSpan(row * rowSize, rowSize)) hash.Add(v);
            return hash.ToHashCode();
        }
    }
}
