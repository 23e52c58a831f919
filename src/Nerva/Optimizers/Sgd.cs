using System.Numerics.Tensors;

namespace Nerva.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum and Nesterov momentum, as torch.optim.SGD:
/// b ← μb + g; step d = g + μb (Nesterov) or b; p ← p − lr·d (plain: d = g).
/// </summary>
public sealed class Sgd : Optimizer
{
    private float[][] velocity = [];

    /// <summary>Keras style: bound by Compile.</summary>
    public Sgd(float learningRate = 0.01f, float momentum = 0f, bool nesterov = false) : base(learningRate)
    {
        Momentum = momentum;
        Nesterov = nesterov;
    }

    /// <summary>PyTorch style: bound to <paramref name="parameters"/>.</summary>
    public Sgd(IEnumerable<Tensor> parameters, float learningRate = 0.01f, float momentum = 0f, bool nesterov = false) : this(learningRate, momentum, nesterov) =>
        Bind([.. parameters]);

    /// <summary>The momentum factor μ.</summary>
    public float Momentum { get; }

    /// <summary>Whether to use Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    public override string Name => "sgd";

    /// <inheritdoc/>
    protected override void CreateState(IReadOnlyList<Tensor> parameters) => velocity = Momentum != 0 ? ZerosLike(parameters) : [];

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, Span<float> gradient, float learningRate)
    {
        if (Momentum != 0)
        {
            var b = velocity[index].AsSpan();
            // The first step starts the buffer at g, as PyTorch does.
            if (Iterations == 0) gradient.CopyTo(b);
            else TensorPrimitives.MultiplyAdd(b, Momentum, gradient, b);
            if (Nesterov) TensorPrimitives.MultiplyAdd(b, Momentum, gradient, gradient);
            else b.CopyTo(gradient);
        }
        TensorPrimitives.MultiplyAdd(gradient, -learningRate, parameter, parameter);
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string, float[])> StateArrays() => velocity.Select((v, i) => ($"{i}.momentum", v));

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() =>
        new Dictionary<string, object?> { ["learning_rate"] = LearningRate, ["momentum"] = Momentum, ["nesterov"] = Nesterov };
}
