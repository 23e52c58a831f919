namespace Nerva.Data;

/// <summary>An in-memory dataset over tensors whose first dimension indexes the samples.</summary>
public sealed class TensorDataset : Dataset
{
    /// <summary>Features, [samples, ...].</summary>
    public Tensor Features { get; }

    /// <summary>Labels, [samples, ...] (e.g. class indices [samples] or targets [samples, outputs]).</summary>
    public Tensor Labels { get; }

    /// <summary>Pairs features and labels row by row; both must have the same number of rows.</summary>
    public TensorDataset(Tensor features, Tensor labels)
    {
        if (features.Rank == 0 || labels.Rank == 0 || features.Dims[0] != labels.Dims[0])
            throw ShapeUtil.Error("TensorDataset", "features and labels with the same number of rows",
                $"{ShapeUtil.Format(features.Dims)} and {ShapeUtil.Format(labels.Dims)}");
        Features = features;
        Labels = labels;
    }

    /// <inheritdoc/>
    public override int Count => Features.Dims[0];

    /// <inheritdoc/>
    public override (Tensor Features, Tensor Label) Get(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), $"TensorDataset: index {index} is outside [0, {Count}).");
        return (Row(Features, index), Row(Labels, index));
    }

    /// <inheritdoc/>
    public override (Tensor Features, Tensor Labels) GetBatch(ReadOnlySpan<int> indices) =>
        (Rows(Features, indices), Rows(Labels, indices));

    private static Tensor Row(Tensor t, int index)
    {
        int size = t.Size / t.Dims[0];
        return new Tensor(t.Data.AsSpan(index * size, size).ToArray(), t.Dims[1..]);
    }

    /// <summary>Copies the rows at <paramref name="indices"/> into a new tensor.</summary>
    internal static Tensor Rows(Tensor t, ReadOnlySpan<int> indices)
    {
        float[]? pooled = BufferPool.Floats(indices.Length * (t.Dims[0] == 0 ? 0 : t.Size / t.Dims[0]));
        return RowsInto(t, indices, ref pooled);
    }

    /// <summary>
    /// Copies the rows at <paramref name="indices"/> into <paramref name="buffer"/> when it has exactly
    /// the right size (replacing it otherwise) and wraps it as a tensor that shares the buffer.
    /// </summary>
    internal static Tensor RowsInto(Tensor t, ReadOnlySpan<int> indices, ref float[]? buffer)
    {
        int size = t.Dims[0] == 0 ? 0 : t.Size / t.Dims[0];
        if (buffer is null || buffer.Length != indices.Length * size) buffer = GC.AllocateUninitializedArray<float>(indices.Length * size);
        var data = buffer;
        for (int i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)t.Dims[0])
                throw new ArgumentOutOfRangeException(nameof(indices), $"TensorDataset: row {indices[i]} is outside [0, {t.Dims[0]}).");
            t.Data.AsSpan(indices[i] * size, size).CopyTo(data.AsSpan(i * size, size));
        }
        return new Tensor(data, [indices.Length, .. t.Dims[1..]]);
    }
}
