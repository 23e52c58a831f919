using Nerva.Kernels;

namespace Nerva;

// Taking parts of tensors and joining them. Slice and Concat are primitives; the rest compose them.
public sealed partial class Tensor
{
    /// <summary>Sizes of this tensor viewed as [outer, Dims[d], inner] around dimension d.</summary>
    private (int Outer, int Inner) AxisBlocks(int d)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < d; i++) outer *= Dims[i];
        for (int i = d + 1; i < Rank; i++) inner *= Dims[i];
        return (outer, inner);
    }

    /// <summary>
    /// Elements start, start+step, ... below end along <paramref name="dim"/> (Python's a[start:end:step]);
    /// negative start/end count from the end and are clamped to the dimension, as in Python.
    /// </summary>
    public Tensor Slice(int dim, int start, int end, int step = 1)
    {
        int d = ShapeUtil.NormalizeDim(dim, Rank, "Slice");
        if (step <= 0) throw ShapeUtil.Error("Slice", "a positive step", step.ToString());
        int n = Dims[d];
        start = Math.Clamp(start < 0 ? start + n : start, 0, n);
        end = Math.Clamp(end < 0 ? end + n : end, 0, n);
        int count = end > start ? (end - start + step - 1) / step : 0;
        var shape = (int[])Dims.Clone();
        shape[d] = count;
        if (count == n) return this;
        var (outer, inner) = AxisBlocks(d);
        var result = BufferPool.Floats(outer * count * inner);
        Layout.AxisSlice(Data, outer, n, inner, start, step, count, result);
        var x = this;
        // d/dx = g scattered back into zeros at the sliced positions
        return Record(new Tensor(result, shape), "Slice", [x], g =>
        {
            var dx = BufferPool.ZeroedFloats(x.Size);
            Layout.AxisSliceAdd(dx, outer, n, inner, start, step, count, g.Data);
            return [new Tensor(dx, x.Dims)];
        });
    }

    /// <summary><paramref name="length"/> elements from <paramref name="start"/> along <paramref name="dim"/> (torch.narrow).</summary>
    public Tensor Narrow(int dim, int start, int length)
    {
        int d = ShapeUtil.NormalizeDim(dim, Rank, "Narrow");
        if (start < 0) start += Dims[d];
        if (start < 0 || length < 0 || start + length > Dims[d])
            throw ShapeUtil.Error("Narrow", $"start and length within dimension {d} of {ShapeUtil.Format(Dims)}", $"start {start}, length {length}");
        return Slice(d, start, start + length);
    }

    /// <summary>Joins tensors along an existing dimension (torch.cat); all other dimensions must match.</summary>
    public static Tensor Concat(Tensor[] tensors, int dim = 0)
    {
        if (tensors.Length == 0) throw new ArgumentException("Concat: expected at least one tensor, got none.");
        var first = tensors[0];
        int d = ShapeUtil.NormalizeDim(dim, first.Rank, "Concat");
        var shape = (int[])first.Dims.Clone();
        shape[d] = 0;
        foreach (var t in tensors)
        {
            bool match = t.Rank == first.Rank;
            for (int i = 0; match && i < t.Rank; i++) match = i == d || t.Dims[i] == first.Dims[i];
            if (!match)
                throw ShapeUtil.Error("Concat", $"shapes matching {ShapeUtil.Format(first.Dims)} except in dim {d}", ShapeUtil.Format(t.Dims));
            shape[d] += t.Dims[d];
        }
        var (outer, inner) = first.AxisBlocks(d);
        var result = BufferPool.ZeroedFloats(ShapeUtil.SizeOf(shape, "Concat"));
        int offset = 0;
        foreach (var t in tensors)
        {
            // Each input fills a run of the output's axis; adding into zeros is a copy.
            Layout.AxisSliceAdd(result, outer, shape[d], inner, offset, 1, t.Dims[d], t.Data);
            offset += t.Dims[d];
        }
        var sizes = Array.ConvertAll(tensors, t => t.Dims[d]);
        // d/dx_i = the i-th part of g along dim
        return Record(new Tensor(result, shape), "Concat", tensors, g =>
        {
            var grads = new Tensor?[tensors.Length];
            for (int i = 0, at = 0; i < tensors.Length; at += sizes[i], i++)
                grads[i] = tensors[i].RequiresGrad ? g.Slice(d, at, at + sizes[i]) : null;
            return grads;
        });
    }

    /// <summary>Joins same-shape tensors along a new dimension.</summary>
    public static Tensor Stack(Tensor[] tensors, int dim = 0)
    {
        if (tensors.Length == 0) throw new ArgumentException("Stack: expected at least one tensor, got none.");
        foreach (var t in tensors)
            if (!t.Dims.AsSpan().SequenceEqual(tensors[0].Dims))
                throw ShapeUtil.Error("Stack", $"tensors all of shape {ShapeUtil.Format(tensors[0].Dims)}", ShapeUtil.Format(t.Dims));
        int d = ShapeUtil.NormalizeDim(dim, tensors[0].Rank + 1, "Stack");
        return Concat(Array.ConvertAll(tensors, t => t.Unsqueeze(d)), d);
    }

    /// <summary>Splits into chunks of <paramref name="splitSize"/> along <paramref name="dim"/> (the last may be smaller).</summary>
    public Tensor[] Split(int splitSize, int dim = 0)
    {
        int d = ShapeUtil.NormalizeDim(dim, Rank, "Split");
        if (splitSize <= 0) throw ShapeUtil.Error("Split", "a positive split size", splitSize.ToString());
        var sizes = new List<int>();
        for (int at = 0; at < Dims[d]; at += splitSize) sizes.Add(Math.Min(splitSize, Dims[d] - at));
        return Split([.. sizes], d);
    }

    /// <summary>Splits into parts of the given sizes along <paramref name="dim"/>; they must add up to its length.</summary>
    public Tensor[] Split(int[] sizes, int dim)
    {
        int d = ShapeUtil.NormalizeDim(dim, Rank, "Split");
        if (sizes.Sum() != Dims[d] || sizes.Any(s => s < 0))
            throw ShapeUtil.Error("Split", $"non-negative sizes adding up to {Dims[d]}", ShapeUtil.Format(sizes));
        var parts = new Tensor[sizes.Length];
        for (int i = 0, at = 0; i < sizes.Length; at += sizes[i], i++) parts[i] = Slice(d, at, at + sizes[i]);
        return parts;
    }

    /// <summary>
    /// Pads with a constant, in torch.nn.functional.pad's convention: <paramref name="pad"/> holds
    /// (before, after) pairs starting from the last dimension, e.g. [left, right, top, bottom].
    /// </summary>
    public Tensor Pad(int[] pad, float value = 0)
    {
        if (pad.Length % 2 != 0 || pad.Length / 2 > Rank)
            throw ShapeUtil.Error("Pad", $"an even number of at most {2 * Rank} values for shape {ShapeUtil.Format(Dims)}", ShapeUtil.Format(pad));
        var before = new int[Rank];
        var shape = (int[])Dims.Clone();
        for (int p = 0; p < pad.Length / 2; p++)
        {
            int d = Rank - 1 - p;
            if (pad[2 * p] < 0 || pad[2 * p + 1] < 0) throw ShapeUtil.Error("Pad", "non-negative padding", ShapeUtil.Format(pad));
            before[d] = pad[2 * p];
            shape[d] += pad[2 * p] + pad[2 * p + 1];
        }
        var result = BufferPool.Floats(ShapeUtil.SizeOf(shape, "Pad"));
        Array.Fill(result, value);
        Layout.PadInto(Data, Dims, before, shape, result);
        var x = this;
        // d/dx = g with the padding cut away
        return Record(new Tensor(result, shape), "Pad", [x], g =>
        {
            for (int d = 0; d < x.Rank; d++) g = g.Narrow(d, before[d], x.Dims[d]);
            return [g];
        });
    }
}
