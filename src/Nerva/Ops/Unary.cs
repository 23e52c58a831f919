using System.Numerics.Tensors;
using Nerva.Kernels;

namespace Nerva;

/// <summary>A kernel that maps a span of inputs to a span of outputs of the same length.</summary>
internal delegate void SpanMap(ReadOnlySpan<float> x, Span<float> y);

/// <summary>A kernel that maps two spans of the same length to a third (a fused backward: x and its gradient).</summary>
internal delegate void SpanZip(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> y);

// Elementwise math functions. Derivatives reuse the saved result where that is cheaper.
public sealed partial class Tensor
{
    /// <summary>Applies a span kernel into a new tensor of the same shape, on all cores when large; records nothing.</summary>
    internal Tensor Map(SpanMap kernel)
    {
        var result = BufferPool.Floats(Size);
        if (Size < 2 * Parallelism.ElementwiseGrain) kernel(Data, result);
        else MapParallel(kernel, Data, result);
        return new Tensor(result, Dims);
    }

    /// <summary>Applies a two-input kernel to this tensor and a same-shape <paramref name="other"/>, on all cores when large; records nothing.</summary>
    internal Tensor Zip(Tensor other, SpanZip kernel)
    {
        var result = BufferPool.Floats(Size);
        if (Size < 2 * Parallelism.ElementwiseGrain) kernel(Data, other.Data, result);
        else ZipParallel(kernel, Data, other.Data, result);
        return new Tensor(result, Dims);
    }

    private static void ZipParallel(SpanZip kernel, float[] x, float[] g, float[] y) =>
        Parallelism.For(x.Length, Parallelism.ElementwiseGrain,
            (start, end) => kernel(x.AsSpan(start, end - start), g.AsSpan(start, end - start), y.AsSpan(start, end - start)));

    // Kept out of Map so that small ops do not allocate the closure.
    private static void MapParallel(SpanMap kernel, float[] x, float[] y) =>
        Parallelism.For(x.Length, Parallelism.ElementwiseGrain, (start, end) => kernel(x.AsSpan(start, end - start), y.AsSpan(start, end - start)));

    /// <summary>Elementwise |x|.</summary>
    public Tensor Abs()
    {
        var x = this;
        // d/dx = g·sign(x)
        return Record(Map(static (x, y) => TensorPrimitives.Abs(x, y)), "Abs", [x], g => [g * x.Sign()]);
    }

    /// <summary>Elementwise eˣ.</summary>
    public Tensor Exp()
    {
        var result = Map(static (x, y) => TensorPrimitives.Exp(x, y));
        // d/dx = g·result
        return Record(result, "Exp", [this], g => [g * result]);
    }

    /// <summary>Elementwise natural logarithm.</summary>
    public Tensor Log()
    {
        var x = this;
        // d/dx = g / x
        return Record(Map(static (x, y) => TensorPrimitives.Log(x, y)), "Log", [x], g => [g / x]);
    }

    /// <summary>Elementwise square root.</summary>
    public Tensor Sqrt()
    {
        var result = Map(static (x, y) => TensorPrimitives.Sqrt(x, y));
        // d/dx = g / (2·result)
        return Record(result, "Sqrt", [this], g => [g / (result * 2f)]);
    }

    /// <summary>Elementwise x².</summary>
    public Tensor Square()
    {
        var x = this;
        // d/dx = 2x·g
        return Record(Map(static (x, y) => TensorPrimitives.Multiply(x, x, y)), "Square", [x], g => [g * x * 2f]);
    }

    /// <summary>Elementwise 1/x.</summary>
    public Tensor Reciprocal()
    {
        var result = Map(static (x, y) => TensorPrimitives.Reciprocal(x, y));
        // d/dx = -g·result²
        return Record(result, "Reciprocal", [this], g => [-g * result.Square()]);
    }

    /// <summary>Elementwise sine.</summary>
    public Tensor Sin()
    {
        var x = this;
        // d/dx = g·cos x
        return Record(Map(static (x, y) => TensorPrimitives.Sin(x, y)), "Sin", [x], g => [g * x.Cos()]);
    }

    /// <summary>Elementwise cosine.</summary>
    public Tensor Cos()
    {
        var x = this;
        // d/dx = -g·sin x
        return Record(Map(static (x, y) => TensorPrimitives.Cos(x, y)), "Cos", [x], g => [-g * x.Sin()]);
    }

    /// <summary>Elementwise sign: -1, 0 or 1. Not differentiable (its gradient is zero).</summary>
    public Tensor Sign() => Map(ActivationKernels.Sign);
}
