using Nerva.Kernels;

namespace Nerva;

/// <summary>A reduction kernel over a block viewed as [outer, n, inner].</summary>
internal delegate void AxisReduction(ReadOnlySpan<float> x, int outer, int n, int inner, Span<float> y);

// Sum, Max and Min are primitives; Mean, Var, Std, LogSumExp and Norm are compositions of them.
public sealed partial class Tensor
{
    /// <summary>Runs an axis reduction over <paramref name="dim"/>; records nothing.</summary>
    private Tensor ReduceAxis(int dim, bool keepDim, AxisReduction kernel, string op)
    {
        int d = ShapeUtil.NormalizeDim(dim, Rank, op);
        int outer = 1, inner = 1, n = Dims[d];
        for (int i = 0; i < d; i++) outer *= Dims[i];
        for (int i = d + 1; i < Rank; i++) inner *= Dims[i];
        var result = BufferPool.ZeroedFloats(outer * inner);
        kernel(Data, outer, n, inner, result);
        return new Tensor(result, ReducedShape(d, keepDim));
    }

    /// <summary>The shape with <paramref name="d"/> removed, or set to 1 when kept.</summary>
    private int[] ReducedShape(int d, bool keepDim)
    {
        if (keepDim)
        {
            var kept = (int[])Dims.Clone();
            kept[d] = 1;
            return kept;
        }
        var shape = new int[Rank - 1];
        for (int i = 0, j = 0; i < Rank; i++) if (i != d) shape[j++] = Dims[i];
        return shape;
    }

    /// <summary>A reduced gradient spread back over this tensor's shape.</summary>
    private Tensor ExpandReduced(Tensor g, int dim) => g.Reshape(ReducedShape(ShapeUtil.NormalizeDim(dim, Rank, "Reduce"), true)).Expand(Dims);

    /// <summary>The sum of all elements, as a scalar tensor.</summary>
    public Tensor Sum()
    {
        var x = this;
        var result = Scalar(System.Numerics.Tensors.TensorPrimitives.Sum(Data));
        // d/dx = g broadcast
        return Record(result, "Sum", [x], g => [Full(x.Dims, g.Data[0])]);
    }

    /// <summary>The sum along <paramref name="dim"/>.</summary>
    public Tensor Sum(int dim, bool keepDim = false)
    {
        var x = this;
        // d/dx = g broadcast along dim
        return Record(ReduceAxis(dim, keepDim, Reductions.Sum, "Sum"), "Sum", [x], g => [x.ExpandReduced(g, dim)]);
    }

    /// <summary>The mean of all elements.</summary>
    public Tensor Mean() => Sum() / Size;

    /// <summary>The mean along <paramref name="dim"/>.</summary>
    public Tensor Mean(int dim, bool keepDim = false) => Sum(dim, keepDim) / Dims[ShapeUtil.NormalizeDim(dim, Rank, "Mean")];

    /// <summary>The largest element.</summary>
    public Tensor Max() => ExtremeAll(max: true);

    /// <summary>The smallest element.</summary>
    public Tensor Min() => ExtremeAll(max: false);

    /// <summary>The largest values along <paramref name="dim"/> (use <see cref="ArgMax(int, bool)"/> for their indices).</summary>
    public Tensor Max(int dim, bool keepDim = false) => Extreme(dim, keepDim, max: true);

    /// <summary>The smallest values along <paramref name="dim"/>.</summary>
    public Tensor Min(int dim, bool keepDim = false) => Extreme(dim, keepDim, max: false);

    private Tensor ExtremeAll(bool max)
    {
        string op = max ? "Max" : "Min";
        if (Size == 0) throw new ArgumentException($"{op}: expected a non-empty tensor, got shape {ShapeUtil.Format(Dims)}.");
        var x = this;
        var result = Scalar(max ? System.Numerics.Tensors.TensorPrimitives.Max(Data) : System.Numerics.Tensors.TensorPrimitives.Min(Data));
        // d/dx = g shared evenly among the elements equal to the result
        return Record(result, op, [x], g =>
        {
            var mask = x.Eq(result.Data[0]);
            return [mask * (g.Data[0] / mask.Sum().Data[0])];
        });
    }

    private Tensor Extreme(int dim, bool keepDim, bool max)
    {
        string op = max ? "Max" : "Min";
        var x = this;
        var result = ReduceAxis(dim, keepDim, max ? Reductions.Max : Reductions.Min, op);
        // d/dx = g shared evenly among the elements equal to the extreme of their slice
        return Record(result, op, [x], g =>
        {
            var mask = x.Eq(x.ExpandReduced(result, dim));
            return [mask * x.ExpandReduced(g, dim) / mask.Sum(dim, keepDim: true)];
        });
    }

    /// <summary>The flat index of the largest element.</summary>
    public Tensor ArgMax() => Reshape(-1).ArgMax(0);

    /// <summary>The flat index of the smallest element.</summary>
    public Tensor ArgMin() => Reshape(-1).ArgMin(0);

    /// <summary>Indices (as floats) of the largest values along <paramref name="dim"/>; not differentiable.</summary>
    public Tensor ArgMax(int dim, bool keepDim = false) => ReduceAxis(dim, keepDim, Reductions.ArgMax, "ArgMax");

    /// <summary>Indices (as floats) of the smallest values along <paramref name="dim"/>; not differentiable.</summary>
    public Tensor ArgMin(int dim, bool keepDim = false) => ReduceAxis(dim, keepDim, Reductions.ArgMin, "ArgMin");

    /// <summary>The variance of all elements; unbiased divides by n − 1 (Bessel), as torch.var.</summary>
    public Tensor Var(bool unbiased = true)
    {
        var centered = this - Mean().Detach();
        return centered.Square().Sum() / (Size - (unbiased ? 1 : 0));
    }

    /// <summary>The variance along <paramref name="dim"/>.</summary>
    public Tensor Var(int dim, bool unbiased = true, bool keepDim = false)
    {
        int n = Dims[ShapeUtil.NormalizeDim(dim, Rank, "Var")];
        // Centering on a detached mean is exact: the gradient through the mean of Σ(x − μ)² is zero.
        var centered = this - Mean(dim, keepDim: true).Detach();
        return centered.Square().Sum(dim, keepDim) / (n - (unbiased ? 1 : 0));
    }

    /// <summary>The standard deviation of all elements.</summary>
    public Tensor Std(bool unbiased = true) => Var(unbiased).Sqrt();

    /// <summary>The standard deviation along <paramref name="dim"/>.</summary>
    public Tensor Std(int dim, bool unbiased = true, bool keepDim = false) => Var(dim, unbiased, keepDim).Sqrt();

    /// <summary>log Σ eˣ over all elements, computed stably by shifting by the maximum.</summary>
    public Tensor LogSumExp()
    {
        var shift = Max().Detach();
        return (this - shift).Exp().Sum().Log() + shift;
    }

    /// <summary>log Σ eˣ along <paramref name="dim"/>, computed stably.</summary>
    public Tensor LogSumExp(int dim, bool keepDim = false)
    {
        var shift = Max(dim, keepDim: true).Detach();
        // An all -inf slice would give -inf - -inf = NaN; shift by 0 there instead.
        shift = Where(shift.Eq(float.NegativeInfinity), ZerosLike(shift), shift);
        var result = (this - shift).Exp().Sum(dim, keepDim: true).Log() + shift;
        return keepDim ? result : result.Squeeze(dim);
    }

    /// <summary>The p-norm of all elements (2 = Euclidean/Frobenius).</summary>
    public Tensor Norm(float p = 2) => p switch
    {
        2 => Square().Sum().Sqrt(),
        1 => Abs().Sum(),
        _ => Abs().Pow(p).Sum().Pow(1 / p),
    };

    /// <summary>The p-norm along <paramref name="dim"/>.</summary>
    public Tensor Norm(int dim, float p = 2, bool keepDim = false) => p switch
    {
        2 => Square().Sum(dim, keepDim).Sqrt(),
        1 => Abs().Sum(dim, keepDim),
        _ => Abs().Pow(p).Sum(dim, keepDim).Pow(1 / p),
    };
}
