using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Nerva.Kernels;

/// <summary>
/// Activation functions and their derivatives that TensorPrimitives does not provide, on spans.
/// Each derivative is taken with respect to the activation's input.
/// </summary>
public static class ActivationKernels
{
    public static void Sign(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? 1f : x[i] < 0 ? -1f : 0f;
    }

    /// <summary>
    /// eˣ of 16 lanes for the activations built on 1/(1 + e): x = n·ln2 + r (Cody–Waite, ln2 in two
    /// parts), e^r from the degree-6 polynomial of Moshier's Cephes expf, 2ⁿ through the exponent
    /// bits. Within 2 ulp of eˣ (measured against double over [−87, 88]) and about twice as fast as
    /// Vector512.Exp, which evaluates in double (100k floats on Zen 4: 31 against 59 µs). Inputs
    /// are clamped to [−87.3, 88]: it saturates at ~1e-38 and ~1.7e38 instead of reaching 0 and ∞,
    /// which 1/(1 + e) does not notice; NaN stays NaN.
    /// </summary>
    internal static Vector512<float> Exp(Vector512<float> x)
    {
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-87.33654f)), Vector512.Create(88f));
        // Adding 1.5·2²³ rounds x·log2(e) to an integer n, which then sits in the sum's low mantissa bits.
        var shifted = Vector512.FusedMultiplyAdd(x, Vector512.Create(1.44269504f), Vector512.Create(12582912f));
        var n = shifted - Vector512.Create(12582912f);
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693359375f), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(2.12194440e-4f), r);
        var p = Vector512.Create(1.9875691500e-4f);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        p = Vector512.FusedMultiplyAdd(p, r * r, r + Vector512<float>.One);
        // 2ⁿ: (n + 127) in the exponent field; the shift drops the 1.5·2²³ bits above n.
        var twoToN = ((shifted.AsInt32() + Vector512.Create(127)) << 23).AsSingle();
        return p * twoToN;
    }

    /// <summary>
    /// Sigmoid of 16 lanes, for fused kernels: 1/(1 + e⁻ˣ) on the fast <see cref="Exp(Vector512{float})"/>;
    /// within 2 ulp for x ≥ −87; below that it stays at ~6e-39 (e⁻ˣ saturates) instead of falling towards 0.
    /// </summary>
    internal static Vector512<float> Sigmoid(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Exp(-x));

    /// <summary>Tanh of 16 lanes, for fused kernels: 1 − 2/(e²ˣ + 1): exact limits ±1; near 0 its error is absolute (~1e-7), which the recurrent cells tolerate.</summary>
    internal static Vector512<float> Tanh(Vector512<float> x) =>
        Vector512<float>.One - Vector512.Create(2f) / (Exp(x + x) + Vector512<float>.One);

    /// <summary>σ(x) = 1/(1 + e⁻ˣ) in one pass: on 16-lane vectors with the fast exponential where they run, else TensorPrimitives.</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
                Sigmoid(Vector512.Create(x.Slice(i))).CopyTo(y.Slice(i));
        if (i < x.Length) TensorPrimitives.Sigmoid(x[i..], y[i..]); // it rejects empty spans
    }

    /// <summary>dx = g·s·(1 − s) from the sigmoid's output s: its backward in one pass.</summary>
    public static void SigmoidGradient(ReadOnlySpan<float> s, ReadOnlySpan<float> g, Span<float> dx)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= s.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var v = Vector512.Create(s.Slice(i));
                (Vector512.Create(g.Slice(i)) * v * (Vector512<float>.One - v)).CopyTo(dx.Slice(i));
            }
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= s.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.Create(s.Slice(i));
                (Vector256.Create(g.Slice(i)) * v * (Vector256<float>.One - v)).CopyTo(dx.Slice(i));
            }
        for (; i < s.Length; i++) dx[i] = g[i] * s[i] * (1f - s[i]);
    }

    /// <summary>dx = g·(1 − t²) from the tanh's output t: its backward in one pass.</summary>
    public static void TanhGradient(ReadOnlySpan<float> t, ReadOnlySpan<float> g, Span<float> dx)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; i <= t.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var v = Vector512.Create(t.Slice(i));
                (Vector512.Create(g.Slice(i)) * (Vector512<float>.One - v * v)).CopyTo(dx.Slice(i));
            }
        else if (Vector256.IsHardwareAccelerated)
            for (; i <= t.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.Create(t.Slice(i));
                (Vector256.Create(g.Slice(i)) * (Vector256<float>.One - v * v)).CopyTo(dx.Slice(i));
            }
        for (; i < t.Length; i++) dx[i] = g[i] * (1f - t[i] * t[i]);
    }

    /// <summary>dx = g where x &gt; 0, else slope·g: the ReLU family's backward in one pass.</summary>
    public static void ReluGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> g, float slope, Span<float> dx)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var scale = Vector512.Create(slope);
            for (; i <= x.Length - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var gv = Vector512.Create(g.Slice(i));
                Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.Create(x.Slice(i)), Vector512<float>.Zero), gv, gv * scale).CopyTo(dx.Slice(i));
            }
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var scale = Vector256.Create(slope);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var gv = Vector256.Create(g.Slice(i));
                Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.Create(x.Slice(i)), Vector256<float>.Zero), gv, gv * scale).CopyTo(dx.Slice(i));
            }
        }
        for (; i < x.Length; i++) dx[i] = x[i] > 0 ? g[i] : slope * g[i];
    }

    public static void LeakyRelu(ReadOnlySpan<float> x, float slope, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : slope * x[i];
    }

    /// <summary>x for x &gt; 0, else α(eˣ − 1).</summary>
    public static void Elu(ReadOnlySpan<float> x, float alpha, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? x[i] : alpha * (MathF.Exp(x[i]) - 1f);
    }

    /// <summary>1 for x &gt; 0, else αeˣ.</summary>
    public static void EluDerivative(ReadOnlySpan<float> x, float alpha, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++) y[i] = x[i] > 0 ? 1f : alpha * MathF.Exp(x[i]);
    }

    /// <summary>GELU: x·Φ(x) exactly (erf form), or with the tanh approximation of Hendrycks and Gimpel.</summary>
    public static void Gelu(ReadOnlySpan<float> x, bool approximate, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            y[i] = (float)(0.5 * v * (1 + (approximate ? Math.Tanh(TanhArgument(v)) : Erf(v / Math.Sqrt(2)))));
        }
    }

    public static void GeluDerivative(ReadOnlySpan<float> x, bool approximate, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double v = x[i];
            if (approximate)
            {
                // d/dx ½x(1 + tanh u) = ½(1 + tanh u) + ½x·sech²u·u'
                double t = Math.Tanh(TanhArgument(v));
                double du = Math.Sqrt(2 / Math.PI) * (1 + 3 * 0.044715 * v * v);
                y[i] = (float)(0.5 * (1 + t) + 0.5 * v * (1 - t * t) * du);
            }
            else
            {
                // d/dx x·Φ(x) = Φ(x) + x·φ(x)
                double cdf = 0.5 * (1 + Erf(v / Math.Sqrt(2)));
                double pdf = Math.Exp(-0.5 * v * v) / Math.Sqrt(2 * Math.PI);
                y[i] = (float)(cdf + v * pdf);
            }
        }
    }

    private static double TanhArgument(double x) => Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x);

    /// <summary>σ(x)·(1 + x·(1 − σ(x))): the derivative of silu x·σ(x).</summary>
    public static void SiluDerivative(ReadOnlySpan<float> x, Span<float> y)
    {
        Sigmoid(x, y);
        for (int i = 0; i < x.Length; i++) y[i] = y[i] * (1 + x[i] * (1 - y[i]));
    }

    /// <summary>log(1 + e^(βx))/β, linear above <paramref name="threshold"/> for stability (torch's softplus).</summary>
    public static void Softplus(ReadOnlySpan<float> x, float beta, float threshold, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float bx = beta * x[i];
            y[i] = bx > threshold ? x[i] : (float)(Math.Log(1 + Math.Exp(bx)) / beta);
        }
    }

    /// <summary>σ(βx), or 1 above the threshold.</summary>
    public static void SoftplusDerivative(ReadOnlySpan<float> x, float beta, float threshold, Span<float> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float bx = beta * x[i];
            y[i] = bx > threshold ? 1f : 1f / (1f + MathF.Exp(-bx));
        }
    }

    /// <summary>
    /// The error function: the Maclaurin series for |x| &lt; 0.5, Abramowitz and Stegun 7.1.26
    /// (absolute error below 1.5e-7, ample for float32) above.
    /// </summary>
    public static double Erf(double x)
    {
        double sign = Math.Sign(x), a = Math.Abs(x);
        if (a < 0.5)
        {
            // Near 0 the A&S form has its largest relative error; the series converges fast there.
            double x2 = a * a, term = a, sum = a;
            for (int n = 1; n < 12; n++)
            {
                term *= -x2 / n;
                sum += term / (2 * n + 1);
            }
            return sign * 2 / Math.Sqrt(Math.PI) * sum;
        }
        double t = 1 / (1 + 0.3275911 * a);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return sign * (1 - poly * Math.Exp(-a * a));
    }
}
