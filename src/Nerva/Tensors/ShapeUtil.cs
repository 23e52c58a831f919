namespace Nerva;

/// <summary>Shape arithmetic and the one place that words shape errors, so every op says them alike.</summary>
internal static class ShapeUtil
{
    public static string Format(ReadOnlySpan<int> shape)
    {
        if (shape.Length == 0) return "[]";
        return "[" + string.Join(", ", shape.ToArray()) + "]";
    }

    /// <summary>"Op: expected A, got B" as an <see cref="ArgumentException"/>.</summary>
    public static ArgumentException Error(string op, string expected, string got) =>
        new($"{op}: expected {expected}, got {got}.");

    public static int SizeOf(ReadOnlySpan<int> shape, string op = "Shape")
    {
        long size = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw Error(op, "non-negative dimensions", Format(shape));
            size *= d;
            if (size > Array.MaxLength) throw Error(op, $"at most {Array.MaxLength} elements", $"shape {Format(shape)}");
        }
        return (int)size;
    }

    /// <summary>Maps a possibly negative dim (counting from the end) into [0, rank).</summary>
    public static int NormalizeDim(int dim, int rank, string op)
    {
        int d = dim < 0 ? dim + rank : dim;
        if ((uint)d >= (uint)rank)
            throw new ArgumentOutOfRangeException(nameof(dim), $"{op}: expected a dim in [{-rank}, {rank - 1}] for a tensor of rank {rank}, got {dim}.");
        return d;
    }

    /// <summary>Row-major strides in elements.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    /// <summary>NumPy broadcasting: align from the right; each pair of lengths must match or one be 1.</summary>
    public static int[] Broadcast(int[] a, int[] b, string op)
    {
        if (a.AsSpan().SequenceEqual(b)) return a;
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"{op}: shapes {Format(a)} and {Format(b)} cannot be broadcast together (dimension {i}: {da} vs {db}).");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>
    /// Strides of <paramref name="shape"/> read as if broadcast to <paramref name="target"/>:
    /// 0 along the dimensions that are repeated.
    /// </summary>
    public static int[] BroadcastStrides(int[] shape, int[] target)
    {
        var own = Strides(shape);
        var strides = new int[target.Length];
        int offset = target.Length - shape.Length;
        for (int i = 0; i < shape.Length; i++)
            strides[i + offset] = shape[i] == 1 && target[i + offset] != 1 ? 0 : own[i];
        return strides;
    }
}
