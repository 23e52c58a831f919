using System.Numerics.Tensors;

namespace Nerva.Optimizers;

/// <summary>RMSprop (Hinton, Neural Networks for Machine Learning, lecture 6e, 2012), as torch.optim.RMSprop.</summary>
/// <remarks>
/// s ← ρs + (1−ρ)g²; centered: ḡ ← ρḡ + (1−ρ)g and s − ḡ² replaces s; d = g/(√s + ε) (ε outside the root);
/// with momentum μ: b ← μb + d, p ← p − lr·b; otherwise p ← p − lr·d. ρ is PyTorch's alpha. The default ε is
/// Keras's 1e-7 (PyTorch's is 1e-8).
/// </remarks>
public sealed class RmsProp : Optimizer
{
    private float[][] square = [], mean = [], buffer = [];

    /// <summary>Keras style: hyperparameters only; Compile binds the parameters.</summary>
    /// <param name="learningRate">The step size lr.</param>
    /// <param name="rho">The decay ρ of the running mean of squared gradients, in [0, 1) (PyTorch's alpha).</param>
    /// <param name="momentum">The momentum μ of the step, in [0, 1).</param>
    /// <param name="epsilon">The ε added to the denominator (Keras's default 1e-7).</param>
    /// <param name="centered">Whether to normalise by the estimated variance instead of the second moment.</param>
    public RmsProp(float learningRate = 0.001f, float rho = 0.9f, float momentum = 0f, float epsilon = 1e-7f, bool centered = false) : base(learningRate)
    {
        Rho = CheckRange(rho, nameof(rho), 0, 1);
        Momentum = CheckRange(momentum, nameof(momentum), 0, 1);
        Epsilon = CheckRange(epsilon, nameof(epsilon), 0, float.PositiveInfinity);
        Centered = centered;
    }

    /// <summary>PyTorch style: bound to <paramref name="parameters"/> at once.</summary>
    /// <param name="parameters">The tensors to update, e.g. <c>model.Parameters</c>.</param>
    /// <param name="learningRate">The step size lr.</param>
    /// <param name="rho">The decay ρ of the running mean of squared gradients, in [0, 1) (PyTorch's alpha).</param>
    /// <param name="momentum">The momentum μ of the step, in [0, 1).</param>
    /// <param name="epsilon">The ε added to the denominator (Keras's default 1e-7).</param>
    /// <param name="centered">Whether to normalise by the estimated variance instead of the second moment.</param>
    public RmsProp(IEnumerable<Tensor> parameters, float learningRate = 0.001f, float rho = 0.9f, float momentum = 0f, float epsilon = 1e-7f, bool centered = false)
        : this(learningRate, rho, momentum, epsilon, centered) => Bind([.. parameters]);

    /// <summary>The decay ρ of the running mean of squared gradients.</summary>
    public float Rho { get; }

    /// <summary>The momentum μ of the step.</summary>
    public float Momentum { get; }

    /// <summary>The ε added to the denominator for stability.</summary>
    public float Epsilon { get; }

    /// <summary>Whether the estimated variance replaces the second moment.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    public override string Name => "rmsprop";

    /// <inheritdoc/>
    protected override void CreateState(IReadOnlyList<Tensor> parameters)
    {
        square = ZerosLike(parameters);
        mean = Centered ? ZerosLike(parameters) : [];
        buffer = Momentum != 0 ? ZerosLike(parameters) : [];
    }

    /// <inheritdoc/>
    protected override void Update(int index, int step, Span<float> parameter, Span<float> gradient, float learningRate)
    {
        Span<float> denominator = stackalloc float[ChunkLength];
        for (int start = 0; start < parameter.Length; start += ChunkLength)
        {
            int n = Math.Min(ChunkLength, parameter.Length - start);
            Span<float> p = parameter.Slice(start, n), g = gradient.Slice(start, n), d = denominator[..n], s = square[index].AsSpan(start, n);
            TensorPrimitives.Multiply(g, g, d);
            TensorPrimitives.Multiply(s, Rho, s);
            TensorPrimitives.MultiplyAdd(d, 1 - Rho, s, s);            // s ← ρs + (1−ρ)g²
            if (Centered)
            {
                var a = mean[index].AsSpan(start, n);
                TensorPrimitives.Multiply(a, Rho, a);
                TensorPrimitives.MultiplyAdd(g, 1 - Rho, a, a);        // ḡ ← ρḡ + (1−ρ)g
                TensorPrimitives.Multiply(a, a, d);
                TensorPrimitives.Subtract(s, d, d);
                TensorPrimitives.Sqrt(d, d);                           // √(s − ḡ²)
            }
            else TensorPrimitives.Sqrt(s, d);
            TensorPrimitives.Add(d, Epsilon, d);
            TensorPrimitives.Divide(g, d, d);                          // d = g/(√s + ε)
            if (Momentum != 0)
            {
                var b = buffer[index].AsSpan(start, n);
                TensorPrimitives.MultiplyAdd(b, Momentum, d, b);       // b ← μb + d
                TensorPrimitives.MultiplyAdd(b, -learningRate, p, p);
            }
            else TensorPrimitives.MultiplyAdd(d, -learningRate, p, p);
        }
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string, float[])> StateArrays() =>
        square.Select((a, i) => ($"{i}.square", a)).Concat(mean.Select((a, i) => ($"{i}.mean", a))).Concat(buffer.Select((a, i) => ($"{i}.momentum", a)));

    /// <inheritdoc/>
    protected override void AddConfig(IDictionary<string, object?> config)
    {
        config["rho"] = Rho;
        config["momentum"] = Momentum;
        config["epsilon"] = Epsilon;
        config["centered"] = Centered;
    }
}
