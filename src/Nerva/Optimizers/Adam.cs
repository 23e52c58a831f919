using System.Numerics.Tensors;
using Nerva.Kernels;

namespace Nerva.Optimizers;

/// <summary>Adam (Kingma and Ba 2015), as torch.optim.Adam, with optional AMSGrad (Reddi et al. 2018).</summary>
/// <remarks>
/// m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; p ← p − lr/(1−β₁ᵗ) · m / (√v/√(1−β₂ᵗ) + ε), t the step count.
/// AMSGrad uses v̂ ← max(v̂, v) in place of v in the denominator. The default ε is Keras's 1e-7 (PyTorch's is 1e-8);
/// pass <c>epsilon: 1e-8f</c> to reproduce torch.optim.Adam's defaults.
/// </remarks>
public class Adam : Optimizer
{
    private float[][] m = [], v = [], vMax = [];

    /// <summary>Keras style: hyperparameters only; Compile binds the parameters.</summary>
    /// <param name="learningRate">The step size lr.</param>
    /// <param name="beta1">The decay β₁ of the first moment, in [0, 1).</param>
    /// <param name="beta2">The decay β₂ of the second moment, in [0, 1).</param>
    /// <param name="epsilon">The ε added to the denominator (Keras's default 1e-7).</param>
    /// <param name="amsgrad">Whether to divide by the running maximum of the second moment (AMSGrad).</param>
    public Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f, bool amsgrad = false) : base(learningRate)
    {
        Beta1 = CheckRange(beta1, nameof(beta1), 0, 1);
        Beta2 = CheckRange(beta2, nameof(beta2), 0, 1);
        Epsilon = CheckRange(epsilon, nameof(epsilon), 0, float.PositiveInfinity);
        Amsgrad = amsgrad;
    }

    /// <summary>PyTorch style: bound to <paramref name="parameters"/> at once.</summary>
    /// <param name="parameters">The tensors to update, e.g. <c>model.Parameters</c>.</param>
    /// <param name="learningRate">The step size lr.</param>
    /// <param name="beta1">The decay β₁ of the first moment, in [0, 1).</param>
    /// <param name="beta2">The decay β₂ of the second moment, in [0, 1).</param>
    /// <param name="epsilon">The ε added to the denominator (Keras's default 1e-7).</param>
    /// <param name="amsgrad">Whether to divide by the running maximum of the second moment (AMSGrad).</param>
    public Adam(IEnumerable<Tensor> parameters, float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f, bool amsgrad = false)
        : this(learningRate, beta1, beta2, epsilon, amsgrad) => Bind([.. parameters]);

    /// <summary>The decay β₁ of the first moment.</summary>
    public float Beta1 { get; }

    /// <summary>The decay β₂ of the second moment.</summary>
    public float Beta2 { get; }

    /// <summary>The ε added to the denominator for stability.</summary>
    public float Epsilon { get; }

    /// <summary>Whether the running maximum of the second moment is used (AMSGrad).</summary>
    public bool Amsgrad { get; }

    /// <inheritdoc/>
    public override string Name => "adam";

    /// <inheritdoc/>
    protected override void CreateState(IReadOnlyList<Tensor> parameters)
    {
        m = ZerosLike(parameters);
        v = ZerosLike(parameters);
        vMax = Amsgrad ? ZerosLike(parameters) : [];
    }

    /// <inheritdoc/>
    protected override void Update(int index, int step, Span<float> parameter, Span<float> gradient, float learningRate)
    {
        // The bias corrections in double, as torch computes them in Python floats.
        double correction1 = 1 - Math.Pow(Beta1, step), rootCorrection2 = Math.Sqrt(1 - Math.Pow(Beta2, step));
        float stepSize = (float)(learningRate / correction1);
        if (!Amsgrad)
        {
            AdamKernel.Update(parameter, gradient, m[index], v[index], Beta1, Beta2, stepSize, (float)(1 / rootCorrection2), Epsilon);
            return;
        }
        Span<float> denominator = stackalloc float[ChunkLength];
        for (int start = 0; start < parameter.Length; start += ChunkLength)
        {
            int n = Math.Min(ChunkLength, parameter.Length - start);
            Span<float> p = parameter.Slice(start, n), g = gradient.Slice(start, n), d = denominator[..n];
            Span<float> mi = m[index].AsSpan(start, n), vi = v[index].AsSpan(start, n), vMaxi = vMax[index].AsSpan(start, n);
            TensorPrimitives.Multiply(mi, Beta1, mi);
            TensorPrimitives.MultiplyAdd(g, 1 - Beta1, mi, mi);       // m ← β₁m + (1−β₁)g
            TensorPrimitives.Multiply(g, g, d);
            TensorPrimitives.Multiply(vi, Beta2, vi);
            TensorPrimitives.MultiplyAdd(d, 1 - Beta2, vi, vi);       // v ← β₂v + (1−β₂)g²
            TensorPrimitives.Max(vMaxi, vi, vMaxi);                   // v̂ ← max(v̂, v)
            TensorPrimitives.Sqrt(vMaxi, d);
            TensorPrimitives.Divide(d, (float)rootCorrection2, d);
            TensorPrimitives.Add(d, Epsilon, d);                      // √v̂/√(1−β₂ᵗ) + ε
            TensorPrimitives.Divide(mi, d, d);
            TensorPrimitives.MultiplyAdd(d, -stepSize, p, p);
        }
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string, float[])> StateArrays() =>
        m.Select((a, i) => ($"{i}.m", a)).Concat(v.Select((a, i) => ($"{i}.v", a))).Concat(vMax.Select((a, i) => ($"{i}.vmax", a)));

    /// <inheritdoc/>
    protected override void AddConfig(IDictionary<string, object?> config)
    {
        config["beta_1"] = Beta1;
        config["beta_2"] = Beta2;
        config["epsilon"] = Epsilon;
        config["amsgrad"] = Amsgrad;
    }
}
