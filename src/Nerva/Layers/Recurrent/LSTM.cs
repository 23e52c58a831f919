using Nerva.Initializers;
using Nerva.Regularizers;

namespace Nerva.Layers;

/// <summary>
/// Long short-term memory (Hochreiter &amp; Schmidhuber, 1997) over inputs [batch, steps, features], as
/// Keras's LSTM: per step z = x·kernel + h·recurrent_kernel + bias split into gates i, f, c, o;
/// c = f·c + i·activation(c̃) with i, f, o through the recurrent activation; h = o·activation(c).
/// Weights in Keras layouts: kernel [features, 4u], recurrent kernel [u, 4u], bias [4u]. The output is
/// the last h [batch, u], or every h [batch, steps, u] with <c>returnSequences</c>. The states start at zero.
/// </summary>
/// <remarks>
/// With the default activations (tanh, sigmoid) the whole sequence runs as one op with a fused
/// cell kernel; other activations unroll the step in ordinary ops.
/// The number of steps may differ from batch to batch.
/// </remarks>
public sealed class LSTM : RecurrentLayer
{
    private readonly ActivationFunction activation, recurrentActivation;
    private readonly bool unitForgetBias;

    /// <summary>An LSTM of <paramref name="units"/> hidden units.</summary>
    /// <param name="units">The size of h and c.</param>
    /// <param name="activation">For the cell candidate and the cell output (tanh).</param>
    /// <param name="recurrentActivation">For the input, forget and output gates (sigmoid).</param>
    /// <param name="useBias">Whether the gates have a bias.</param>
    /// <param name="kernelInitializer">For the input kernel (Glorot uniform).</param>
    /// <param name="recurrentInitializer">For the recurrent kernel (orthogonal).</param>
    /// <param name="biasInitializer">For the bias (zeros).</param>
    /// <param name="unitForgetBias">Start the forget gate's bias at 1 (Jozefowicz et al., 2015), as Keras.</param>
    /// <param name="returnSequences">Return h for every step rather than the last.</param>
    /// <param name="goBackwards">Read the sequence last step first (the returned sequence is in that order too).</param>
    /// <param name="kernelRegularizer">Penalty on the input kernel.</param>
    /// <param name="recurrentRegularizer">Penalty on the recurrent kernel.</param>
    /// <param name="biasRegularizer">Penalty on the bias.</param>
    /// <param name="name">The layer's name.</param>
    public LSTM(int units, ActivationFunction? activation = null, ActivationFunction? recurrentActivation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
        bool unitForgetBias = true, bool returnSequences = false, bool goBackwards = false,
        Regularizer? kernelRegularizer = null, Regularizer? recurrentRegularizer = null, Regularizer? biasRegularizer = null,
        string? name = null)
        : base(units, 4, useBias, kernelInitializer, recurrentInitializer, biasInitializer,
            kernelRegularizer, recurrentRegularizer, biasRegularizer, returnSequences, goBackwards, name)
    {
        this.activation = activation ?? Activations.Tanh;
        this.recurrentActivation = recurrentActivation ?? Activations.Sigmoid;
        this.unitForgetBias = unitForgetBias;
    }

    /// <inheritdoc/>
    protected override void InitializeBias(Tensor bias)
    {
        // As Keras: the initializer fills the other gates' biases, the forget gate's start at 1.
        if (unitForgetBias) bias.Data.AsSpan(Units, Units).Fill(1f);
    }

    /// <inheritdoc/>
    protected override Tensor CallSequence(Tensor input)
    {
        if (activation.Name == "tanh" && recurrentActivation.Name == "sigmoid")
            return Tensor.Lstm(input, Kernel!, RecurrentKernel!, Bias, ReturnSequences, GoBackwards);
        return Unrolled(input);
    }

    /// <summary>The same computation step by step in ordinary ops, for any pair of activations.</summary>
    private Tensor Unrolled(Tensor input)
    {
        int batch = input.Dims[0], u = Units;
        var projected = input.MatMul(Kernel!);
        if (Bias is not null) projected += Bias;
        var h = Tensor.Zeros(batch, u);
        var c = Tensor.Zeros(batch, u);
        return Unroll(projected, xt =>
        {
            var gates = (xt + h.MatMul(RecurrentKernel!)).Split(u, 1);
            var i = recurrentActivation.Apply(gates[0]);
            var f = recurrentActivation.Apply(gates[1]);
            var o = recurrentActivation.Apply(gates[3]);
            c = f * c + i * activation.Apply(gates[2]);
            h = o * activation.Apply(c);
            return h;
        });
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig()
    {
        var config = RecurrentConfig();
        config["activation"] = activation.Name;
        config["recurrent_activation"] = recurrentActivation.Name;
        config["unit_forget_bias"] = unitForgetBias;
        return config;
    }
}
