using System.Text;

namespace Nerva;

/// <summary>
/// An n-dimensional array of float32 values, stored row-major and contiguous, that records the
/// operations applied to it when gradients are required (reverse-mode automatic differentiation).
/// </summary>
/// <remarks>
/// The tensor API follows PyTorch's names in .NET PascalCase. The operations themselves live in
/// <c>src/Nerva/Ops</c>, one family per file, each with its backward beside its forward.
/// </remarks>
public sealed partial class Tensor
{
    /// <summary>The elements, row-major; its length is exactly <see cref="Size"/>.</summary>
    internal readonly float[] Data;

    /// <summary>The shape, shared and never mutated; the public <see cref="Shape"/> returns a copy.</summary>
    internal readonly int[] Dims;

    /// <summary>
    /// The tensor that owns <see cref="Data"/> when this one shares it (a view, a detached copy): kept
    /// alive with this one, because the pool recycles an array once its owner is unreachable.
    /// </summary>
    private readonly Tensor? storageOwner;

    /// <summary>Creates a tensor over <paramref name="data"/> (no copy); the first over a pooled array owns it.</summary>
    internal Tensor(float[] data, int[] dims)
    {
        Data = data;
        Dims = dims;
        if (data.Length >= BufferPool.MinLength) storageOwner = BufferPool.Claim(data, this);
    }

    /// <summary>A copy of the shape: one length per dimension.</summary>
    public int[] Shape => (int[])Dims.Clone();

    /// <summary>The number of dimensions (0 for a scalar).</summary>
    public int Rank => Dims.Length;

    /// <summary>The number of elements.</summary>
    public int Size => Data.Length;

    /// <summary>The length of dimension <paramref name="dim"/> (negative counts from the end).</summary>
    public int Dim(int dim) => Dims[ShapeUtil.NormalizeDim(dim, Rank, "Dim")];

    /// <summary>A row-major copy of the elements.</summary>
    public float[] ToArray() => (float[])Data.Clone();

    /// <summary>The value of a tensor holding exactly one element.</summary>
    public float Item()
    {
        if (Size != 1)
            throw new InvalidOperationException($"Item: expected a tensor with one element, got shape {ShapeUtil.Format(Dims)}.");
        return Data[0];
    }

    /// <summary>Reads one element by its full index, e.g. <c>t[1, 2]</c>.</summary>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public float this[params int[] index]
    {
        get
        {
            if (index.Length != Rank)
                throw new ArgumentException($"Indexer: expected {Rank} indices for shape {ShapeUtil.Format(Dims)}, got {index.Length}.");
            int offset = 0;
            for (int d = 0; d < Rank; d++)
            {
                int i = index[d] < 0 ? index[d] + Dims[d] : index[d];
                if ((uint)i >= (uint)Dims[d])
                    throw new IndexOutOfRangeException($"Indexer: index {index[d]} is out of range for dimension {d} of shape {ShapeUtil.Format(Dims)}.");
                offset = offset * Dims[d] + i;
            }
            return Data[offset];
        }
    }

    /// <summary>Shows the shape and, for small tensors, the values.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Tensor").Append(ShapeUtil.Format(Dims));
        if (RequiresGrad) sb.Append(", requiresGrad");
        if (Size <= 64)
        {
            sb.Append(' ');
            AppendValues(sb, 0, 0);
        }
        return sb.ToString();
    }

    private int AppendValues(StringBuilder sb, int dim, int offset)
    {
        if (dim == Rank)
        {
            sb.Append(Data[offset].ToString("G6", System.Globalization.CultureInfo.InvariantCulture));
            return offset + 1;
        }
        sb.Append('[');
        for (int i = 0; i < Dims[dim]; i++)
        {
            if (i > 0) sb.Append(", ");
            offset = AppendValues(sb, dim + 1, offset);
        }
        sb.Append(']');
        return offset;
    }
}
