using Nerva.Kernels;

namespace Nerva;

// Comparisons return 0/1 tensors and are not differentiable; Where and Clamp route gradients by mask.
public sealed partial class Tensor
{
    /// <summary>1 where this equals <paramref name="other"/> (broadcast), else 0.</summary>
    public Tensor Eq(Tensor other) => Binary<EqualOperator>(this, other, "Eq");
    /// <summary>1 where this is greater than <paramref name="other"/> (broadcast), else 0.</summary>
    public Tensor Gt(Tensor other) => Binary<GreaterOperator>(this, other, "Gt");
    /// <summary>1 where this is less than <paramref name="other"/> (broadcast), else 0.</summary>
    public Tensor Lt(Tensor other) => Binary<LessOperator>(this, other, "Lt");
    /// <summary>1 where this is greater than or equal to <paramref name="other"/> (broadcast), else 0.</summary>
    public Tensor Ge(Tensor other) => Binary<GreaterOrEqualOperator>(this, other, "Ge");
    /// <summary>1 where this is less than or equal to <paramref name="other"/> (broadcast), else 0.</summary>
    public Tensor Le(Tensor other) => Binary<LessOrEqualOperator>(this, other, "Le");

    public Tensor Eq(float value) => Binary<EqualOperator>(this, value);
    public Tensor Gt(float value) => Binary<GreaterOperator>(this, value);
    public Tensor Lt(float value) => Binary<LessOperator>(this, value);
    public Tensor Ge(float value) => Binary<GreaterOrEqualOperator>(this, value);
    public Tensor Le(float value) => Binary<LessOrEqualOperator>(this, value);

    /// <summary>Elementwise <paramref name="a"/> where <paramref name="condition"/> is non-zero, else <paramref name="b"/>; all three broadcast.</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        var shape = ShapeUtil.Broadcast(ShapeUtil.Broadcast(condition.Dims, a.Dims, "Where"), b.Dims, "Where");
        var mask = condition.BroadcastData(shape);
        var x = a.BroadcastData(shape);
        var y = b.BroadcastData(shape);
        for (int i = 0; i < mask.Length; i++)
        {
            bool pick = mask[i] != 0;
            mask[i] = pick ? 1f : 0f;
            x[i] = pick ? x[i] : y[i];
        }
        BufferPool.Return(y);
        var selected = new Tensor(mask, shape);
        // d/da = g·mask, d/db = g·(1 - mask)
        return Record(new Tensor(x, shape), "Where", [a, b], g => [
            a.RequiresGrad ? (g * selected).SumTo(a.Dims) : null,
            b.RequiresGrad ? (g * (1f - selected)).SumTo(b.Dims) : null]);
    }

    /// <summary>Limits values to [min, max]; either bound may be omitted.</summary>
    public Tensor Clamp(float? min = null, float? max = null)
    {
        if (min is null && max is null) throw new ArgumentException("Clamp: expected at least one of min and max, got neither.");
        var result = BufferPool.Floats(Size);
        float lo = min ?? float.NegativeInfinity, hi = max ?? float.PositiveInfinity;
        System.Numerics.Tensors.TensorPrimitives.Max(Data, lo, result);
        System.Numerics.Tensors.TensorPrimitives.Min(result, hi, result);
        var x = this;
        // d/dx = g where min <= x <= max, else 0
        return Record(new Tensor(result, Dims), "Clamp", [this], g => [g * (x.Ge(lo) * x.Le(hi))]);
    }

    /// <summary>The values repeated along broadcast dimensions to fill <paramref name="shape"/> (a new pooled array: wrap it or return it).</summary>
    internal float[] BroadcastData(int[] shape)
    {
        var result = BufferPool.Floats(ShapeUtil.SizeOf(shape));
        Broadcasting.Apply<AddOperator>(Data, ShapeUtil.BroadcastStrides(Dims, shape), [0f], new int[shape.Length], result, shape);
        return result;
    }
}
