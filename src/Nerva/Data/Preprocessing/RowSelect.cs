namespace Nerva.Data.Preprocessing;

/// <summary>Copies whole rows (slices along dimension 0) of a tensor of any rank, without recording autograd.</summary>
internal static class RowSelect
{
    /// <summary>The rows of <paramref name="x"/> at <paramref name="indices"/>, in that order (repeats allowed).</summary>
    public static Tensor Rows(Tensor x, ReadOnlySpan<int> indices)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0) throw ShapeUtil.Error("RowSelect", "a tensor with a sample dimension", "a scalar");
        int n = x.Dims[0];
        int rowSize = n == 0 ? 0 : x.Size / n;
        var data = new float[indices.Length * rowSize];
        for (int k = 0; k < indices.Length; k++)
        {
            int i = indices[k];
            if ((uint)i >= (uint)n) throw new ArgumentOutOfRangeException(nameof(indices), $"RowSelect: index {i} is out of range for {n} rows.");
            Array.Copy(x.Data, i * rowSize, data, k * rowSize, rowSize);
        }
        var dims = (int[])x.Dims.Clone();
        dims[0] = indices.Length;
        return new Tensor(data, dims);
    }

    /// <summary>Checks that <paramref name="y"/> has one entry per row of <paramref name="x"/>.</summary>
    public static void CheckSameRows(Tensor x, Tensor y, string op)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rank == 0 || y.Rank == 0 || x.Dims[0] != y.Dims[0])
            throw ShapeUtil.Error(op, $"x and y with the same number of samples (dimension 0)", $"shapes {ShapeUtil.Format(x.Dims)} and {ShapeUtil.Format(y.Dims)}");
    }
}
