namespace Nerva.Kernels;

/// <summary>Data movement for shape ops: permutation, slicing along an axis, padding.</summary>
public static class Layout
{
    /// <summary>
    /// dst = src with its dimensions reordered: output dimension i is input dimension perm[i].
    /// The innermost output dimension is walked with the input's stride for it.
    /// </summary>
    public static void Permute(ReadOnlySpan<float> src, ReadOnlySpan<int> srcShape, ReadOnlySpan<int> perm, Span<float> dst)
    {
        int rank = srcShape.Length;
        if (dst.IsEmpty) return;
        if (rank == 0)
        {
            dst[0] = src[0];
            return;
        }
        Span<int> srcStrides = stackalloc int[rank];
        for (int d = rank - 1, s = 1; d >= 0; d--) { srcStrides[d] = s; s *= srcShape[d]; }
        Span<int> dims = stackalloc int[rank];
        Span<int> strides = stackalloc int[rank];
        for (int i = 0; i < rank; i++)
        {
            dims[i] = srcShape[perm[i]];
            strides[i] = srcStrides[perm[i]];
        }

        if (rank == 2 && strides[1] != 1)
        {
            Transpose2D(src, dims[1], dims[0], dst);
            return;
        }

        int inner = dims[rank - 1], innerStride = strides[rank - 1];
        int rows = dst.Length / inner;
        Span<int> counter = stackalloc int[rank];
        int offset = 0;
        for (int row = 0; row < rows; row++)
        {
            var output = dst.Slice(row * inner, inner);
            if (innerStride == 1) src.Slice(offset, inner).CopyTo(output);
            else for (int i = 0; i < inner; i++) output[i] = src[offset + i * innerStride];
            for (int d = rank - 2; d >= 0; d--)
            {
                offset += strides[d];
                if (++counter[d] < dims[d]) break;
                offset -= strides[d] * dims[d];
                counter[d] = 0;
            }
        }
    }

    /// <summary>dst[cols, rows] = src[rows, cols]ᵀ, in cache-sized tiles so neither side thrashes.</summary>
    public static void Transpose2D(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst)
    {
        const int Tile = 32;
        for (int r0 = 0; r0 < rows; r0 += Tile)
        {
            int r1 = Math.Min(r0 + Tile, rows);
            for (int c0 = 0; c0 < cols; c0 += Tile)
            {
                int c1 = Math.Min(c0 + Tile, cols);
                for (int r = r0; r < r1; r++)
                    for (int c = c0; c < c1; c++)
                        dst[c * rows + r] = src[r * cols + c];
            }
        }
    }

    /// <summary>
    /// Copies positions start, start+step, ... (count of them) along the middle axis of src viewed as
    /// [outer, n, inner] into dst viewed as [outer, count, inner].
    /// </summary>
    public static void AxisSlice(ReadOnlySpan<float> src, int outer, int n, int inner, int start, int step, int count, Span<float> dst)
    {
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < count; j++)
                src.Slice((o * n + start + j * step) * inner, inner).CopyTo(dst.Slice((o * count + j) * inner, inner));
    }

    /// <summary>The reverse of <see cref="AxisSlice"/>: adds values [outer, count, inner] into those positions of target.</summary>
    public static void AxisSliceAdd(Span<float> target, int outer, int n, int inner, int start, int step, int count, ReadOnlySpan<float> values)
    {
        for (int o = 0; o < outer; o++)
        {
            for (int j = 0; j < count; j++)
            {
                var t = target.Slice((o * n + start + j * step) * inner, inner);
                System.Numerics.Tensors.TensorPrimitives.Add(t, values.Slice((o * count + j) * inner, inner), t);
            }
        }
    }

    /// <summary>
    /// Writes src (shape <paramref name="srcShape"/>) into dst (shape <paramref name="dstShape"/>,
    /// already filled with the pad value) starting at <paramref name="before"/> in each dimension.
    /// </summary>
    public static void PadInto(ReadOnlySpan<float> src, ReadOnlySpan<int> srcShape, ReadOnlySpan<int> before, ReadOnlySpan<int> dstShape, Span<float> dst)
    {
        int rank = srcShape.Length;
        if (src.IsEmpty) return;
        if (rank == 0)
        {
            dst[0] = src[0];
            return;
        }
        Span<int> dstStrides = stackalloc int[rank];
        for (int d = rank - 1, s = 1; d >= 0; d--) { dstStrides[d] = s; s *= dstShape[d]; }
        int offset = 0;
        for (int d = 0; d < rank; d++) offset += before[d] * dstStrides[d];
        int inner = srcShape[rank - 1];
        int rows = src.Length / inner;
        Span<int> counter = stackalloc int[rank];
        for (int row = 0; row < rows; row++)
        {
            src.Slice(row * inner, inner).CopyTo(dst.Slice(offset, inner));
            for (int d = rank - 2; d >= 0; d--)
            {
                offset += dstStrides[d];
                if (++counter[d] < srcShape[d]) break;
                offset -= dstStrides[d] * srcShape[d];
                counter[d] = 0;
            }
        }
    }

    /// <summary>
    /// Batch-major [batch, steps, features] to time-major [steps, batch, features]: dst[t, b] = src[b, t],
    /// or src[b, steps − 1 − t] when <paramref name="reverse"/>.
    /// </summary>
    public static void ToTimeMajor(ReadOnlySpan<float> src, Span<float> dst, int batch, int steps, int features, bool reverse)
    {
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                src.Slice((b * steps + (reverse ? steps - 1 - t : t)) * features, features)
                    .CopyTo(dst.Slice((t * batch + b) * features, features));
    }

    /// <summary>The inverse of <see cref="ToTimeMajor"/>: dst[b, t] = src[t, b] (or src[steps − 1 − t, b] when reversed).</summary>
    public static void FromTimeMajor(ReadOnlySpan<float> src, Span<float> dst, int batch, int steps, int features, bool reverse)
    {
        for (int b = 0; b < batch; b++)
            for (int t = 0; t < steps; t++)
                src.Slice(((reverse ? steps - 1 - t : t) * batch + b) * features, features)
                    .CopyTo(dst.Slice((b * steps + t) * features, features));
    }
}
