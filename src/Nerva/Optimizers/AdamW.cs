namespace Nerva.Optimizers;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter 2019), as torch.optim.AdamW:
/// p ← p − lr·λ·p before the Adam step, instead of adding λp to the gradient.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Keras style: bound by Compile. Keras's default decay is 0.004.</summary>
    public AdamW(float learningRate = 0.001f, float weightDecay = 0.004f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f)
        : base(learningRate, beta1, beta2, epsilon) => WeightDecay = weightDecay;

    /// <summary>PyTorch style: bound to <paramref name="parameters"/>.</summary>
    public AdamW(IEnumerable<Tensor> parameters, float learningRate = 0.001f, float weightDecay = 0.004f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f)
        : this(learningRate, weightDecay, beta1, beta2, epsilon) => Bind([.. parameters]);

    /// <inheritdoc/>
    public override string Name => "adamw";

    /// <inheritdoc/>
    protected override bool CoupledWeightDecay => false;

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, Span<float> gradient, float learningRate)
    {
        System.Numerics.Tensors.TensorPrimitives.Multiply(parameter, 1 - learningRate * WeightDecay, parameter);
        base.Update(index, parameter, gradient, learningRate);
    }
}
