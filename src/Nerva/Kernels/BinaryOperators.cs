using System.Runtime.Intrinsics;

namespace Nerva.Kernels;

/// <summary>
/// An elementwise binary function with a scalar and a 256-bit vector form, so one driver
/// (<see cref="Broadcasting"/>) runs every binary op without a per-element call.
/// </summary>
public interface IBinaryOperator
{
    static abstract float Invoke(float x, float y);
    static abstract Vector256<float> Invoke(Vector256<float> x, Vector256<float> y);
}

public readonly struct AddOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => x + y;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x + y;
}

public readonly struct SubtractOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => x - y;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x - y;
}

public readonly struct MultiplyOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => x * y;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x * y;
}

public readonly struct DivideOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => x / y;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => x / y;
}

/// <summary>x^y; there is no vector pow instruction, so lanes are computed one by one.</summary>
public readonly struct PowOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => MathF.Pow(x, y);

    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y)
    {
        Span<float> r = stackalloc float[Vector256<float>.Count];
        for (int i = 0; i < r.Length; i++) r[i] = MathF.Pow(x.GetElement(i), y.GetElement(i));
        return Vector256.Create((ReadOnlySpan<float>)r);
    }
}

/// <summary>max(x, y), propagating NaN as torch.maximum does.</summary>
public readonly struct MaximumOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => MathF.Max(x, y);
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.Max(x, y);
}

/// <summary>min(x, y), propagating NaN as torch.minimum does.</summary>
public readonly struct MinimumOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => MathF.Min(x, y);
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.Min(x, y);
}

// Comparisons give 1 or 0: the all-ones lane mask ANDed with 1.0f.

public readonly struct EqualOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => x == y ? 1f : 0f;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.Equals(x, y) & Vector256<float>.One;
}

public readonly struct GreaterOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => x > y ? 1f : 0f;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.GreaterThan(x, y) & Vector256<float>.One;
}

public readonly struct LessOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => x < y ? 1f : 0f;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.LessThan(x, y) & Vector256<float>.One;
}

public readonly struct GreaterOrEqualOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => x >= y ? 1f : 0f;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.GreaterThanOrEqual(x, y) & Vector256<float>.One;
}

public readonly struct LessOrEqualOperator : IBinaryOperator
{
    public static float Invoke(float x, float y) => x <= y ? 1f : 0f;
    public static Vector256<float> Invoke(Vector256<float> x, Vector256<float> y) => Vector256.LessThanOrEqual(x, y) & Vector256<float>.One;
}
