using Nerva.Kernels;

namespace Nerva;

// Broadcasting arithmetic. Every backward reduces its gradient to the input's shape with SumTo.
public sealed partial class Tensor
{
    /// <summary>Runs a broadcasting binary kernel; records nothing.</summary>
    internal static Tensor Binary<TOp>(Tensor a, Tensor b, string op) where TOp : IBinaryOperator
    {
        if (ReferenceEquals(a.Dims, b.Dims) || a.Dims.AsSpan().SequenceEqual(b.Dims))
        {
            // Same shape: one flat loop, no stride bookkeeping, split across cores when large.
            var flat = BufferPool.Floats(a.Size);
            if (flat.Length < 2 * Parallelism.ElementwiseGrain)
                Broadcasting.Apply<TOp>(a.Data, [1], b.Data, [1], flat, [flat.Length]);
            else
                SameShapeParallel<TOp>(a.Data, b.Data, flat);
            return new Tensor(flat, a.Dims);
        }
        var shape = ShapeUtil.Broadcast(a.Dims, b.Dims, op);
        var result = BufferPool.Floats(ShapeUtil.SizeOf(shape, op));
        Broadcasting.Apply<TOp>(a.Data, ShapeUtil.BroadcastStrides(a.Dims, shape), b.Data, ShapeUtil.BroadcastStrides(b.Dims, shape), result, shape);
        return new Tensor(result, shape);
    }

    // Kept out of Binary so that small ops do not allocate the closure.
    private static void SameShapeParallel<TOp>(float[] a, float[] b, float[] result) where TOp : IBinaryOperator =>
        Parallelism.For(result.Length, Parallelism.ElementwiseGrain, (start, end) =>
            Broadcasting.Apply<TOp>(a.AsSpan(start, end - start), [1], b.AsSpan(start, end - start), [1], result.AsSpan(start, end - start), [end - start]));

    /// <summary>A binary op against a constant; records nothing.</summary>
    internal static Tensor Binary<TOp>(Tensor a, float b) where TOp : IBinaryOperator
    {
        var result = BufferPool.Floats(a.Size);
        Broadcasting.Apply<TOp>(a.Data, [1], [b], [0], result, [a.Size]);
        return new Tensor(result, a.Dims);
    }

    /// <summary>A constant against a tensor; records nothing.</summary>
    internal static Tensor Binary<TOp>(float a, Tensor b) where TOp : IBinaryOperator
    {
        var result = BufferPool.Floats(b.Size);
        Broadcasting.Apply<TOp>([a], [0], b.Data, [1], result, [b.Size]);
        return new Tensor(result, b.Dims);
    }

    /// <summary>Sums a broadcast gradient back down to <paramref name="shape"/> (the reverse of broadcasting).</summary>
    internal Tensor SumTo(int[] shape)
    {
        if (Dims.AsSpan().SequenceEqual(shape)) return this;
        var target = BufferPool.ZeroedFloats(ShapeUtil.SizeOf(shape));
        Broadcasting.SumInto(Data, Dims, target, ShapeUtil.BroadcastStrides(shape, Dims));
        return new Tensor(target, shape);
    }

    /// <summary>Elementwise sum with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) =>
        // d/da = g, d/db = g
        Record(Binary<AddOperator>(a, b, "Add"), "Add", [a, b], g => [g.SumTo(a.Dims), g.SumTo(b.Dims)]);

    /// <summary>Elementwise difference with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) =>
        // d/da = g, d/db = -g
        Record(Binary<SubtractOperator>(a, b, "Sub"), "Sub", [a, b], g => [g.SumTo(a.Dims), (-g).SumTo(b.Dims)]);

    /// <summary>Elementwise product with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) =>
        // d/da = g·b, d/db = g·a
        Record(Binary<MultiplyOperator>(a, b, "Mul"), "Mul", [a, b],
            g => [a.RequiresGrad ? (g * b).SumTo(a.Dims) : null, b.RequiresGrad ? (g * a).SumTo(b.Dims) : null]);

    /// <summary>Elementwise quotient with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) =>
        // d/da = g / b, d/db = -g·a / b²
        Record(Binary<DivideOperator>(a, b, "Div"), "Div", [a, b],
            g => [a.RequiresGrad ? (g / b).SumTo(a.Dims) : null, b.RequiresGrad ? (-g * a / b.Square()).SumTo(b.Dims) : null]);

    public static Tensor operator +(Tensor a, float b) => Record(Binary<AddOperator>(a, b), "Add", [a], g => [g]);
    public static Tensor operator +(float a, Tensor b) => b + a;
    public static Tensor operator -(Tensor a, float b) => Record(Binary<SubtractOperator>(a, b), "Sub", [a], g => [g]);
    public static Tensor operator -(float a, Tensor b) => Record(Binary<SubtractOperator>(a, b), "Sub", [b], g => [-g]);
    public static Tensor operator *(Tensor a, float b) => Record(Binary<MultiplyOperator>(a, b), "Mul", [a], g => [g * b]);
    public static Tensor operator *(float a, Tensor b) => b * a;
    public static Tensor operator /(Tensor a, float b) => a * (1f / b);
    // d/db (a / b) = -a / b² · g
    public static Tensor operator /(float a, Tensor b)
    {
        var result = Binary<DivideOperator>(a, b);
        return Record(result, "Div", [b], g => [-g * result / b]);
    }

    /// <summary>Elementwise negation.</summary>
    public static Tensor operator -(Tensor a) => a.Neg();

    /// <summary>Elementwise negation: -x.</summary>
    public Tensor Neg() => Record(Binary<MultiplyOperator>(this, -1f), "Neg", [this], g => [-g]);

    /// <summary>Elementwise power with a broadcast tensor exponent (base should be positive where the exponent is fractional).</summary>
    public Tensor Pow(Tensor exponent)
    {
        var a = this;
        var result = Binary<PowOperator>(a, exponent, "Pow");
        // d/da = g·e·a^(e-1), d/de = g·a^e·ln a
        return Record(result, "Pow", [a, exponent], g => [
            a.RequiresGrad ? (g * exponent * a.Pow(exponent - 1f)).SumTo(a.Dims) : null,
            exponent.RequiresGrad ? (g * result * a.Log()).SumTo(exponent.Dims) : null]);
    }

    /// <summary>Elementwise power with a constant exponent.</summary>
    public Tensor Pow(float exponent)
    {
        var a = this;
        // d/da = g·e·a^(e-1)
        return Record(Binary<PowOperator>(a, exponent), "Pow", [a], g => [g * exponent * a.Pow(exponent - 1f)]);
    }

    /// <summary>Elementwise maximum with broadcasting (torch.maximum); ties send the gradient half to each side.</summary>
    public Tensor Maximum(Tensor other) => MinMax<MaximumOperator, GreaterOperator>(this, other, "Maximum");

    /// <summary>Elementwise minimum with broadcasting (torch.minimum); ties send the gradient half to each side.</summary>
    public Tensor Minimum(Tensor other) => MinMax<MinimumOperator, LessOperator>(this, other, "Minimum");

    private static Tensor MinMax<TOp, TWins>(Tensor a, Tensor b, string op) where TOp : IBinaryOperator where TWins : IBinaryOperator
    {
        // d/da = g·[a wins] + g/2·[tie], as PyTorch splits ties.
        return Record(Binary<TOp>(a, b, op), op, [a, b], g =>
        {
            var tie = Binary<EqualOperator>(a, b, op) * 0.5f;
            var aWins = Binary<TWins>(a, b, op) + tie;
            var bWins = Binary<TWins>(b, a, op) + tie;
            return [(g * aWins).SumTo(a.Dims), (g * bWins).SumTo(b.Dims)];
        });
    }
}
