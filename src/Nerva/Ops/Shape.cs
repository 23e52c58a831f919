using Nerva.Kernels;

namespace Nerva;

// Shape ops. Reshape shares storage (a view, as in PyTorch); Permute copies into row-major order.
public sealed partial class Tensor
{
    /// <summary>The same elements in a new shape; one dimension may be -1 (inferred). Shares storage.</summary>
    public Tensor Reshape(params int[] shape)
    {
        var resolved = ResolveShape(shape);
        if (resolved.AsSpan().SequenceEqual(Dims)) return this;
        var x = this;
        // d/dx = g reshaped back
        return Record(new Tensor(Data, resolved), "Reshape", [x], g => [g.Reshape(x.Dims)]);
    }

    private int[] ResolveShape(int[] shape)
    {
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == -1)
            {
                if (infer >= 0) throw ShapeUtil.Error("Reshape", "at most one -1", ShapeUtil.Format(shape));
                infer = i;
            }
            else if (shape[i] < 0) throw ShapeUtil.Error("Reshape", "non-negative sizes or -1", ShapeUtil.Format(shape));
            else known *= shape[i];
        }
        var resolved = (int[])shape.Clone();
        if (infer >= 0)
        {
            if (known == 0 || Size % known != 0)
                throw ShapeUtil.Error("Reshape", $"a shape compatible with {Size} elements of {ShapeUtil.Format(Dims)}", ShapeUtil.Format(shape));
            resolved[infer] = (int)(Size / known);
        }
        else if (known != Size)
        {
            throw ShapeUtil.Error("Reshape", $"a shape of {Size} elements like {ShapeUtil.Format(Dims)}", $"{ShapeUtil.Format(shape)} ({known} elements)");
        }
        return resolved;
    }

    /// <summary>Merges dimensions <paramref name="startDim"/> through <paramref name="endDim"/> into one.</summary>
    public Tensor Flatten(int startDim = 0, int endDim = -1)
    {
        if (Rank == 0) return Reshape(1);
        int s = ShapeUtil.NormalizeDim(startDim, Rank, "Flatten"), e = ShapeUtil.NormalizeDim(endDim, Rank, "Flatten");
        if (s > e) throw ShapeUtil.Error("Flatten", "startDim <= endDim", $"{startDim} > {endDim}");
        var shape = new List<int>();
        for (int i = 0; i < s; i++) shape.Add(Dims[i]);
        int merged = 1;
        for (int i = s; i <= e; i++) merged *= Dims[i];
        shape.Add(merged);
        for (int i = e + 1; i < Rank; i++) shape.Add(Dims[i]);
        return Reshape([.. shape]);
    }

    /// <summary>Swaps two dimensions.</summary>
    public Tensor Transpose(int dim0, int dim1)
    {
        var perm = new int[Rank];
        for (int i = 0; i < Rank; i++) perm[i] = i;
        int a = ShapeUtil.NormalizeDim(dim0, Rank, "Transpose"), b = ShapeUtil.NormalizeDim(dim1, Rank, "Transpose");
        (perm[a], perm[b]) = (perm[b], perm[a]);
        return Permute(perm);
    }

    /// <summary>The transpose of a 2-D tensor (a 1-D or 0-D tensor is returned unchanged).</summary>
    public Tensor T => Rank < 2 ? this : Rank == 2 ? Transpose(0, 1)
        : throw ShapeUtil.Error("T", "a tensor of rank <= 2 (use Permute or Transpose)", ShapeUtil.Format(Dims));

    /// <summary>Reorders dimensions: output dimension i is input dimension <paramref name="dims"/>[i].</summary>
    public Tensor Permute(params int[] dims)
    {
        if (dims.Length != Rank) throw ShapeUtil.Error("Permute", $"{Rank} dims for shape {ShapeUtil.Format(Dims)}", ShapeUtil.Format(dims));
        var perm = new int[Rank];
        var seen = new bool[Rank];
        var shape = new int[Rank];
        bool identity = true;
        for (int i = 0; i < Rank; i++)
        {
            perm[i] = ShapeUtil.NormalizeDim(dims[i], Rank, "Permute");
            if (seen[perm[i]]) throw ShapeUtil.Error("Permute", "each dim exactly once", ShapeUtil.Format(dims));
            seen[perm[i]] = true;
            shape[i] = Dims[perm[i]];
            identity &= perm[i] == i;
        }
        if (identity) return this;
        var result = BufferPool.Floats(Size);
        Layout.Permute(Data, Dims, perm, result);
        var inverse = new int[Rank];
        for (int i = 0; i < Rank; i++) inverse[perm[i]] = i;
        // d/dx = g permuted back by the inverse permutation
        return Record(new Tensor(result, shape), "Permute", [this], g => [g.Permute(inverse)]);
    }

    /// <summary>Removes every dimension of length 1.</summary>
    public Tensor Squeeze() => Reshape(Array.FindAll(Dims, d => d != 1));

    /// <summary>Removes dimension <paramref name="dim"/> if its length is 1 (otherwise returns this unchanged, as PyTorch).</summary>
    public Tensor Squeeze(int dim)
    {
        int d = ShapeUtil.NormalizeDim(dim, Rank, "Squeeze");
        return Dims[d] != 1 ? this : Reshape(ReducedShape(d, keepDim: false));
    }

    /// <summary>Inserts a dimension of length 1 at <paramref name="dim"/> (in [-rank-1, rank]).</summary>
    public Tensor Unsqueeze(int dim)
    {
        int d = ShapeUtil.NormalizeDim(dim, Rank + 1, "Unsqueeze");
        var shape = new int[Rank + 1];
        for (int i = 0, j = 0; i <= Rank; i++) shape[i] = i == d ? 1 : Dims[j++];
        return Reshape(shape);
    }

    /// <summary>Broadcasts to <paramref name="shape"/> (-1 keeps a dimension), materialising the copies.</summary>
    public Tensor Expand(params int[] shape)
    {
        if (shape.Length < Rank) throw ShapeUtil.Error("Expand", $"at least {Rank} dims for shape {ShapeUtil.Format(Dims)}", ShapeUtil.Format(shape));
        var target = (int[])shape.Clone();
        int offset = shape.Length - Rank;
        for (int i = 0; i < target.Length; i++)
        {
            if (target[i] == -1)
            {
                if (i < offset) throw ShapeUtil.Error("Expand", "-1 only for existing dims", ShapeUtil.Format(shape));
                target[i] = Dims[i - offset];
            }
            if (i >= offset && Dims[i - offset] != 1 && Dims[i - offset] != target[i])
                throw ShapeUtil.Error("Expand", $"a shape that {ShapeUtil.Format(Dims)} broadcasts to", ShapeUtil.Format(shape));
        }
        if (target.AsSpan().SequenceEqual(Dims)) return this;
        var x = this;
        // d/dx = g summed over the broadcast dims
        return Record(new Tensor(BroadcastData(target), target), "Expand", [x], g => [g.SumTo(x.Dims)]);
    }

    /// <summary>Broadcasts to <paramref name="shape"/> (NumPy's broadcast_to); the same as <see cref="Expand"/>.</summary>
    public Tensor BroadcastTo(params int[] shape) => Expand(shape);

    /// <summary>Tiles the tensor: dimension i repeated <paramref name="repeats"/>[i] times (torch.Tensor.repeat).</summary>
    public Tensor Repeat(params int[] repeats)
    {
        if (repeats.Length < Rank) throw ShapeUtil.Error("Repeat", $"at least {Rank} repeat counts for shape {ShapeUtil.Format(Dims)}", ShapeUtil.Format(repeats));
        // Interleave a broadcast axis before each dim: [1, d0, 1, d1, ...] → [r0, d0, r1, d1, ...] → [r0·d0, r1·d1, ...].
        int offset = repeats.Length - Rank;
        var interleaved = new int[2 * repeats.Length];
        var expanded = new int[2 * repeats.Length];
        var final = new int[repeats.Length];
        for (int i = 0; i < repeats.Length; i++)
        {
            if (repeats[i] < 0) throw ShapeUtil.Error("Repeat", "non-negative repeat counts", ShapeUtil.Format(repeats));
            int d = i < offset ? 1 : Dims[i - offset];
            interleaved[2 * i] = 1;
            interleaved[2 * i + 1] = d;
            expanded[2 * i] = repeats[i];
            expanded[2 * i + 1] = d;
            final[i] = repeats[i] * d;
        }
        return Reshape(interleaved).Expand(expanded).Reshape(final);
    }
}
