using Nerva.Initializers;
using Nerva.Regularizers;

namespace Nerva.Layers;

/// <summary>
/// A fully connected recurrent layer (Elman, 1990) over inputs [batch, steps, features], as Keras's
/// SimpleRNN: per step h = activation(x·kernel + h·recurrent_kernel + bias). Weights in Keras layouts:
/// kernel [features, u], recurrent kernel [u, u], bias [u]. The output is the last h [batch, u], or every
/// h [batch, steps, u] with <c>returnSequences</c>. The state starts at zero.
/// </summary>
/// <remarks>
/// With tanh (the default) or relu the whole sequence runs as one fused op;
/// other activations unroll the step in ordinary ops. The number of steps may differ from batch to batch.
/// </remarks>
public sealed class SimpleRNN : RecurrentLayer
{
    private readonly ActivationFunction activation;

    /// <summary>A fully connected RNN of <paramref name="units"/> hidden units.</summary>
    /// <param name="units">The size of h.</param>
    /// <param name="activation">Applied to each step's sum (tanh).</param>
    /// <param name="useBias">Whether the step has a bias.</param>
    /// <param name="kernelInitializer">For the input kernel (Glorot uniform).</param>
    /// <param name="recurrentInitializer">For the recurrent kernel (orthogonal).</param>
    /// <param name="biasInitializer">For the bias (zeros).</param>
    /// <param name="returnSequences">Return h for every step rather than the last.</param>
    /// <param name="goBackwards">Read the sequence last step first (the returned sequence is in that order too).</param>
    /// <param name="kernelRegularizer">Penalty on the input kernel.</param>
    /// <param name="recurrentRegularizer">Penalty on the recurrent kernel.</param>
    /// <param name="biasRegularizer">Penalty on the bias.</param>
    /// <param name="name">The layer's name.</param>
    public SimpleRNN(int units, ActivationFunction? activation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
        bool returnSequences = false, bool goBackwards = false,
        Regularizer? kernelRegularizer = null, Regularizer? recurrentRegularizer = null, Regularizer? biasRegularizer = null,
        string? name = null)
        : base(units, 1, useBias, kernelInitializer, recurrentInitializer, biasInitializer,
            kernelRegularizer, recurrentRegularizer, biasRegularizer, returnSequences, goBackwards, name)
    {
        this.activation = activation ?? Activations.Tanh;
    }

    /// <inheritdoc/>
    protected override Tensor CallSequence(Tensor input)
    {
        if (activation.Name is "tanh" or "relu")
            return Tensor.SimpleRnn(input, Kernel!, RecurrentKernel!, Bias, ReturnSequences, GoBackwards, relu: activation.Name == "relu");
        return Unrolled(input);
    }

    /// <summary>The same computation step by step in ordinary ops, for any activation.</summary>
    private Tensor Unrolled(Tensor input)
    {
        var projected = input.MatMul(Kernel!);
        if (Bias is not null) projected += Bias;
        var h = Tensor.Zeros(input.Dims[0], Units);
        return Unroll(projected, xt => h = activation.Apply(xt + h.MatMul(RecurrentKernel!)));
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig()
    {
        var config = RecurrentConfig();
        config["activation"] = activation.Name;
        return config;
    }
}
