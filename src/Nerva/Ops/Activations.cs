using System.Numerics.Tensors;
using Nerva.Kernels;

namespace Nerva;

// Activation functions. Each backward multiplies the gradient by the derivative at the input.
public sealed partial class Tensor
{
    /// <summary>max(x, 0).</summary>
    public Tensor Relu()
    {
        var x = this;
        // d/dx = g·[x > 0] (0 at x = 0, as PyTorch)
        return Record(Map(static (x, y) => TensorPrimitives.Max(x, 0f, y)), "Relu", [x],
            g => [x.Zip(g, static (x, g, y) => ActivationKernels.ReluGradient(x, g, 0f, y))]);
    }

    /// <summary>x for x &gt; 0, else slope·x.</summary>
    public Tensor LeakyRelu(float negativeSlope = 0.01f)
    {
        var x = this;
        // d/dx = g·(x > 0 ? 1 : slope)
        return Record(Map((x, y) => ActivationKernels.LeakyRelu(x, negativeSlope, y)), "LeakyRelu", [x],
            g => [x.Zip(g, (x, g, y) => ActivationKernels.ReluGradient(x, g, negativeSlope, y))]);
    }

    /// <summary>Exponential linear unit: x for x &gt; 0, else α(eˣ − 1).</summary>
    public Tensor Elu(float alpha = 1f)
    {
        var x = this;
        // d/dx = g·(x > 0 ? 1 : α·eˣ)
        return Record(Map((x, y) => ActivationKernels.Elu(x, alpha, y)), "Elu", [x],
            g => [g * x.Map((x, y) => ActivationKernels.EluDerivative(x, alpha, y))]);
    }

    /// <summary>Gaussian error linear unit x·Φ(x); <paramref name="approximate"/> uses the tanh form.</summary>
    public Tensor Gelu(bool approximate = false)
    {
        var x = this;
        // d/dx = g·(Φ(x) + x·φ(x))
        return Record(Map((x, y) => ActivationKernels.Gelu(x, approximate, y)), "Gelu", [x],
            g => [g * x.Map((x, y) => ActivationKernels.GeluDerivative(x, approximate, y))]);
    }

    /// <summary>Sigmoid-weighted linear unit (swish): x·σ(x).</summary>
    public Tensor Silu()
    {
        var x = this;
        // d/dx = g·σ(x)(1 + x(1 − σ(x)))
        return Record(Map(static (x, y) =>
        {
            ActivationKernels.Sigmoid(x, y);
            TensorPrimitives.Multiply(x, y, y);
        }), "Silu", [x], g => [g * x.Map(ActivationKernels.SiluDerivative)]);
    }

    /// <summary>Logistic sigmoid 1/(1 + e⁻ˣ).</summary>
    public Tensor Sigmoid()
    {
        var result = Map(static (x, y) => ActivationKernels.Sigmoid(x, y));
        // d/dx = g·s(1 − s)
        return Record(result, "Sigmoid", [this], g => [result.Zip(g, static (s, g, dx) => ActivationKernels.SigmoidGradient(s, g, dx))]);
    }

    /// <summary>Hyperbolic tangent.</summary>
    public Tensor Tanh()
    {
        var result = Map(static (x, y) => TensorPrimitives.Tanh(x, y));
        // d/dx = g·(1 − t²)
        return Record(result, "Tanh", [this], g => [result.Zip(g, static (t, g, dx) => ActivationKernels.TanhGradient(t, g, dx))]);
    }

    /// <summary>log(1 + e^(βx))/β, linear where βx exceeds <paramref name="threshold"/>.</summary>
    public Tensor Softplus(float beta = 1f, float threshold = 20f)
    {
        var x = this;
        // d/dx = g·σ(βx)
        return Record(Map((x, y) => ActivationKernels.Softplus(x, beta, threshold, y)), "Softplus", [x],
            g => [g * x.Map((x, y) => ActivationKernels.SoftplusDerivative(x, beta, threshold, y))]);
    }
}
