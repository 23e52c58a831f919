using System.Numerics.Tensors;

namespace Nerva.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum (Polyak 1964) and Nesterov momentum
/// (Sutskever et al. 2013), as torch.optim.SGD.
/// </summary>
/// <remarks>
/// Plain: p ← p − lr·g. With momentum μ and dampening τ: b ← g at the first step, then b ← μb + (1−τ)g;
/// p ← p − lr·b, or with Nesterov p ← p − lr·(g + μb). PyTorch's form, which differs from Keras's
/// velocity form only in where lr enters (they agree for a constant rate).
/// </remarks>
public sealed class Sgd : Optimizer
{
    private float[][] velocity = [];

    /// <summary>Keras style: hyperparameters only; Compile binds the parameters.</summary>
    /// <param name="learningRate">The step size lr.</param>
    /// <param name="momentum">The momentum factor μ in [0, 1); 0 for plain SGD.</param>
    /// <param name="nesterov">Whether to use Nesterov momentum (needs μ &gt; 0 and no dampening).</param>
    /// <param name="dampening">The dampening τ of new gradients in the momentum buffer (PyTorch's dampening).</param>
    public Sgd(float learningRate = 0.01f, float momentum = 0f, bool nesterov = false, float dampening = 0f) : base(learningRate)
    {
        Momentum = CheckRange(momentum, nameof(momentum), 0, 1);
        Dampening = CheckRange(dampening, nameof(dampening), 0, 1, maxIncluded: true);
        if (nesterov && (momentum == 0 || dampening != 0))
            throw new ArgumentException("Sgd: Nesterov momentum needs momentum > 0 and dampening 0.", nameof(nesterov));
        Nesterov = nesterov;
    }

    /// <summary>PyTorch style: bound to <paramref name="parameters"/> at once.</summary>
    /// <param name="parameters">The tensors to update, e.g. <c>model.Parameters</c>.</param>
    /// <param name="learningRate">The step size lr.</param>
    /// <param name="momentum">The momentum factor μ in [0, 1); 0 for plain SGD.</param>
    /// <param name="nesterov">Whether to use Nesterov momentum (needs μ &gt; 0 and no dampening).</param>
    /// <param name="dampening">The dampening τ of new gradients in the momentum buffer (PyTorch's dampening).</param>
    public Sgd(IEnumerable<Tensor> parameters, float learningRate = 0.01f, float momentum = 0f, bool nesterov = false, float dampening = 0f)
        : this(learningRate, momentum, nesterov, dampening) => Bind([.. parameters]);

    /// <summary>The momentum factor μ.</summary>
    public float Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <summary>The dampening τ of new gradients in the momentum buffer.</summary>
    public float Dampening { get; }

    /// <inheritdoc/>
    public override string Name => "sgd";

    /// <inheritdoc/>
    protected override void CreateState(IReadOnlyList<Tensor> parameters) => velocity = Momentum != 0 ? ZerosLike(parameters) : [];

    /// <inheritdoc/>
    protected override void Update(int index, int step, Span<float> parameter, Span<float> gradient, float learningRate)
    {
        if (Momentum == 0)
        {
            TensorPrimitives.MultiplyAdd(gradient, -learningRate, parameter, parameter);
            return;
        }
        var b = velocity[index].AsSpan();
        // The first step starts the buffer at g, undamped, as PyTorch does.
        if (step == 1) gradient.CopyTo(b);
        else if (Dampening == 0) TensorPrimitives.MultiplyAdd(b, Momentum, gradient, b);
        else
        {
            TensorPrimitives.Multiply(b, Momentum, b);
            TensorPrimitives.MultiplyAdd(gradient, 1 - Dampening, b, b);
        }
        if (Nesterov)
        {
            TensorPrimitives.MultiplyAdd(b, Momentum, gradient, gradient);
            TensorPrimitives.MultiplyAdd(gradient, -learningRate, parameter, parameter);
        }
        else TensorPrimitives.MultiplyAdd(b, -learningRate, parameter, parameter);
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string, float[])> StateArrays() => velocity.Select((v, i) => ($"{i}.momentum", v));

    /// <inheritdoc/>
    protected override void AddConfig(IDictionary<string, object?> config)
    {
        config["momentum"] = Momentum;
        config["nesterov"] = Nesterov;
        config["dampening"] = Dampening;
    }
}
