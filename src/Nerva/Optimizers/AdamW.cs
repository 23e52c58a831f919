using System.Numerics.Tensors;

namespace Nerva.Optimizers;

/// <summary>Adam with decoupled weight decay (Loshchilov and Hutter 2019), as torch.optim.AdamW.</summary>
/// <remarks>
/// p ← p − lr·λ·p, then the <see cref="Adam"/> step with the undecayed gradient, instead of adding λp to the
/// gradient. The default λ is Keras's 0.004 (PyTorch's is 0.01); the default ε is Keras's 1e-7.
/// </remarks>
public sealed class AdamW : Adam
{
    /// <summary>Keras style: hyperparameters only; Compile binds the parameters.</summary>
    /// <param name="learningRate">The step size lr.</param>
    /// <param name="weightDecay">The decoupled decay λ (Keras's default 0.004).</param>
    /// <param name="beta1">The decay β₁ of the first moment, in [0, 1).</param>
    /// <param name="beta2">The decay β₂ of the second moment, in [0, 1).</param>
    /// <param name="epsilon">The ε added to the denominator (Keras's default 1e-7).</param>
    /// <param name="amsgrad">Whether to divide by the running maximum of the second moment (AMSGrad).</param>
    public AdamW(float learningRate = 0.001f, float weightDecay = 0.004f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f, bool amsgrad = false)
        : base(learningRate, beta1, beta2, epsilon, amsgrad) => WeightDecay = weightDecay;

    /// <summary>PyTorch style: bound to <paramref name="parameters"/> at once.</summary>
    /// <param name="parameters">The tensors to update, e.g. <c>model.Parameters</c>.</param>
    /// <param name="learningRate">The step size lr.</param>
    /// <param name="weightDecay">The decoupled decay λ (Keras's default 0.004).</param>
    /// <param name="beta1">The decay β₁ of the first moment, in [0, 1).</param>
    /// <param name="beta2">The decay β₂ of the second moment, in [0, 1).</param>
    /// <param name="epsilon">The ε added to the denominator (Keras's default 1e-7).</param>
    /// <param name="amsgrad">Whether to divide by the running maximum of the second moment (AMSGrad).</param>
    public AdamW(IEnumerable<Tensor> parameters, float learningRate = 0.001f, float weightDecay = 0.004f, float beta1 = 0.9f, float beta2 = 0.999f,
        float epsilon = 1e-7f, bool amsgrad = false)
        : this(learningRate, weightDecay, beta1, beta2, epsilon, amsgrad) => Bind([.. parameters]);

    /// <inheritdoc/>
    public override string Name => "adamw";

    /// <inheritdoc/>
    protected override bool CoupledWeightDecay => false;

    /// <inheritdoc/>
    protected override void Update(int index, int step, Span<float> parameter, Span<float> gradient, float learningRate)
    {
        if (WeightDecay != 0) TensorPrimitives.Multiply(parameter, 1 - learningRate * WeightDecay, parameter);
        base.Update(index, step, parameter, gradient, learningRate);
    }
}
