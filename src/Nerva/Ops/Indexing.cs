namespace Nerva;

// Index-driven ops. Indices are float tensors holding whole numbers (Nerva's one element type).
// Gather and ScatterAdd are each other's backward; IndexSelect's backward adds rows back.
public sealed partial class Tensor
{
    /// <summary>Reads indices as ints, checking that each is whole and within [0, limit).</summary>
    private static int[] ToIndices(Tensor index, int limit, string op)
    {
        var result = new int[index.Size];
        for (int i = 0; i < result.Length; i++)
        {
            float v = index.Data[i];
            int k = (int)v;
            if (k != v || k < 0 || k >= limit)
                throw new ArgumentException($"{op}: expected whole-number indices in [0, {limit}), got {v} at position {i}.");
            result[i] = k;
        }
        return result;
    }

    /// <summary>
    /// torch.gather: out[i][j][k] = this[i][index[i][j][k]][k] for dim = 1; the index has this
    /// tensor's rank and no dimension longer than this tensor's (except along dim).
    /// </summary>
    public Tensor Gather(int dim, Tensor index)
    {
        int d = CheckScatterShapes(dim, index, this, "Gather");
        var idx = ToIndices(index, Dims[d], "Gather");
        var result = BufferPool.Floats(index.Size);
        ScatterWalk(index.Dims, d, idx, Dims, Data, result, gather: true);
        var x = this;
        // d/dx = g scatter-added at the gathered positions
        return Record(new Tensor(result, index.Dims), "Gather", [x], g => [ZerosLike(x).ScatterAdd(d, index, g)]);
    }

    /// <summary>
    /// torch.scatter_add: a copy of this tensor with out[i][index[i][j][k]][k] += src[i][j][k]
    /// for dim = 1. <paramref name="src"/> has the index's shape (or a larger one; only the index's extent is read).
    /// </summary>
    public Tensor ScatterAdd(int dim, Tensor index, Tensor src)
    {
        int d = CheckScatterShapes(dim, index, this, "ScatterAdd");
        CheckScatterShapes(dim, index, src, "ScatterAdd", checkDim: true);
        var idx = ToIndices(index, Dims[d], "ScatterAdd");
        var result = BufferPool.Floats(Size);
        Data.CopyTo(result, 0);
        var values = src.Dims.AsSpan().SequenceEqual(index.Dims) ? src : src.Narrowed(index.Dims);
        ScatterWalk(index.Dims, d, idx, Dims, values.Data, result, gather: false);
        GC.KeepAlive(values); // its array stays its own until the walk has read it
        // d/dself = g; d/dsrc = g gathered at the index (zero-padded to src's shape)
        return Record(new Tensor(result, Dims), "ScatterAdd", [this, src], g =>
        {
            var gs = g.Gather(d, index);
            return [g, src.Dims.AsSpan().SequenceEqual(index.Dims) ? gs : gs.Pad(PaddingTo(index.Dims, src.Dims))];
        });
    }

    /// <summary>
    /// Rows (or slices along <paramref name="dim"/>) picked by a 1-D index, in its order;
    /// repeated indices repeat slices. Embedding lookup is IndexSelect on dim 0.
    /// </summary>
    public Tensor IndexSelect(int dim, Tensor index)
    {
        int d = ShapeUtil.NormalizeDim(dim, Rank, "IndexSelect");
        if (index.Rank > 1) throw ShapeUtil.Error("IndexSelect", "a 1-D (or scalar) index", ShapeUtil.Format(index.Dims));
        var idx = ToIndices(index, Dims[d], "IndexSelect");
        var (outer, inner) = AxisBlocks(d);
        int n = Dims[d];
        var shape = (int[])Dims.Clone();
        shape[d] = idx.Length;
        var result = BufferPool.Floats(outer * idx.Length * inner);
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < idx.Length; j++)
                Data.AsSpan((o * n + idx[j]) * inner, inner).CopyTo(result.AsSpan((o * idx.Length + j) * inner, inner));
        var x = this;
        // d/dx = g's slices added back at their indices
        return Record(new Tensor(result, shape), "IndexSelect", [x], g =>
        {
            var dx = BufferPool.ZeroedFloats(x.Size);
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < idx.Length; j++)
                {
                    var target = dx.AsSpan((o * n + idx[j]) * inner, inner);
                    System.Numerics.Tensors.TensorPrimitives.Add(target, g.Data.AsSpan((o * idx.Length + j) * inner, inner), target);
                }
            return [new Tensor(dx, x.Dims)];
        });
    }

    /// <summary>One-hot rows: shape indices.Shape + [numClasses]; not differentiable.</summary>
    public static Tensor OneHot(Tensor indices, int numClasses)
    {
        if (numClasses <= 0) throw ShapeUtil.Error("OneHot", "a positive number of classes", numClasses.ToString());
        var idx = ToIndices(indices, numClasses, "OneHot");
        var result = BufferPool.ZeroedFloats(idx.Length * numClasses);
        for (int i = 0; i < idx.Length; i++) result[i * numClasses + idx[i]] = 1f;
        return new Tensor(result, [.. indices.Dims, numClasses]);
    }

    /// <summary>Checks the gather/scatter shape rule; returns the normalised dim.</summary>
    private static int CheckScatterShapes(int dim, Tensor index, Tensor target, string op, bool checkDim = false)
    {
        int d = ShapeUtil.NormalizeDim(dim, target.Rank, op);
        bool ok = index.Rank == target.Rank;
        for (int i = 0; ok && i < index.Rank; i++)
            ok = (i == d && !checkDim) || index.Dims[i] <= target.Dims[i];
        if (!ok)
            throw ShapeUtil.Error(op, $"an index of rank {target.Rank} no larger than {ShapeUtil.Format(target.Dims)} outside dim {d}", ShapeUtil.Format(index.Dims));
        return d;
    }

    /// <summary>
    /// Walks every position p of the index; the other side's position is p with dim d replaced
    /// by the index value. Gathers other → flat (in index order), or scatter-adds flat → other.
    /// </summary>
    private static void ScatterWalk(int[] indexShape, int d, int[] idx, int[] otherShape, ReadOnlySpan<float> source, Span<float> dest, bool gather)
    {
        var strides = ShapeUtil.Strides(otherShape);
        var counter = new int[indexShape.Length];
        for (int p = 0; p < idx.Length; p++)
        {
            int offset = 0;
            for (int i = 0; i < counter.Length; i++) offset += (i == d ? idx[p] : counter[i]) * strides[i];
            if (gather) dest[p] = source[offset];
            else dest[offset] += source[p];
            for (int i = counter.Length - 1; i >= 0; i--)
            {
                if (++counter[i] < indexShape[i]) break;
                counter[i] = 0;
            }
        }
    }

    /// <summary>The leading block of this tensor in the (smaller or equal) shape.</summary>
    private Tensor Narrowed(int[] shape)
    {
        var t = Detach();
        for (int i = 0; i < shape.Length; i++) t = t.Slice(i, 0, shape[i]);
        return t;
    }

    /// <summary>Pad amounts (torch convention) that grow <paramref name="from"/> to <paramref name="to"/> at the end of each dim.</summary>
    private static int[] PaddingTo(int[] from, int[] to)
    {
        var pad = new int[2 * from.Length];
        for (int i = 0; i < from.Length; i++) pad[2 * i + 1] = to[from.Length - 1 - i] - from[from.Length - 1 - i];
        return pad;
    }
}
