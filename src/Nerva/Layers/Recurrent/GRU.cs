using Nerva.Initializers;
using Nerva.Regularizers;

namespace Nerva.Layers;

/// <summary>
/// Gated recurrent unit (Cho et al., 2014) over inputs [batch, steps, features], as Keras's GRU: per step
/// x·kernel and h·recurrent_kernel split into the update gate z, the reset gate r and the candidate h;
/// z and r go through the recurrent activation, the candidate through the activation, and
/// h = z·h + (1 − z)·candidate. With <c>resetAfter</c> (the default, PyTorch's form too) the reset gate
/// scales the recurrent part of the candidate: candidate = activation(x_h + r·(h·U_h + b_rec,h)), and the bias
/// is [2, 3u] (row 0 for the input part, row 1 for the recurrent part); without it, it scales h before the
/// product: candidate = activation(x_h + (r·h)·U_h), with one bias [3u] on the input part.
/// Weights in Keras layouts: kernel [features, 3u], recurrent kernel [u, 3u], gate order z, r, h. The output
/// is the last h [batch, u], or every h [batch, steps, u] with <c>returnSequences</c>. The state starts at zero.
/// </summary>
/// <remarks>
/// With the default activations (tanh, sigmoid) and <c>resetAfter</c> the whole sequence runs as one op
/// with a fused cell kernel; other settings unroll the step in ordinary ops.
/// The number of steps may differ from batch to batch.
/// </remarks>
public sealed class GRU : RecurrentLayer
{
    private readonly ActivationFunction activation, recurrentActivation;

    /// <summary>A GRU of <paramref name="units"/> hidden units.</summary>
    /// <param name="units">The size of h.</param>
    /// <param name="activation">For the candidate (tanh).</param>
    /// <param name="recurrentActivation">For the update and reset gates (sigmoid).</param>
    /// <param name="useBias">Whether the gates have a bias.</param>
    /// <param name="kernelInitializer">For the input kernel (Glorot uniform).</param>
    /// <param name="recurrentInitializer">For the recurrent kernel (orthogonal).</param>
    /// <param name="biasInitializer">For the bias (zeros).</param>
    /// <param name="resetAfter">Apply the reset gate after the recurrent product (Keras 2 and 3's default, cuDNN's and PyTorch's form).</param>
    /// <param name="returnSequences">Return h for every step rather than the last.</param>
    /// <param name="goBackwards">Read the sequence last step first (the returned sequence is in that order too).</param>
    /// <param name="kernelRegularizer">Penalty on the input kernel.</param>
    /// <param name="recurrentRegularizer">Penalty on the recurrent kernel.</param>
    /// <param name="biasRegularizer">Penalty on the bias.</param>
    /// <param name="name">The layer's name.</param>
    public GRU(int units, ActivationFunction? activation = null, ActivationFunction? recurrentActivation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? recurrentInitializer = null, Initializer? biasInitializer = null,
        bool resetAfter = true, bool returnSequences = false, bool goBackwards = false,
        Regularizer? kernelRegularizer = null, Regularizer? recurrentRegularizer = null, Regularizer? biasRegularizer = null,
        string? name = null)
        : base(units, 3, useBias, kernelInitializer, recurrentInitializer, biasInitializer,
            kernelRegularizer, recurrentRegularizer, biasRegularizer, returnSequences, goBackwards, name)
    {
        this.activation = activation ?? Activations.Tanh;
        this.recurrentActivation = recurrentActivation ?? Activations.Sigmoid;
        ResetAfter = resetAfter;
    }

    /// <summary>Whether the reset gate applies after the recurrent product (and the bias is [2, 3·units]).</summary>
    public bool ResetAfter { get; }

    /// <summary>[2, 3·units] with <see cref="ResetAfter"/> (input and recurrent biases), [3·units] without.</summary>
    protected override int[] BiasShape => ResetAfter ? [2, 3 * Units] : [3 * Units];

    /// <inheritdoc/>
    protected override Tensor CallSequence(Tensor input)
    {
        if (!ResetAfter) return UnrolledResetBefore(input);
        if (activation.Name == "tanh" && recurrentActivation.Name == "sigmoid")
            return Tensor.Gru(input, Kernel!, RecurrentKernel!, Bias, ReturnSequences, GoBackwards);
        return Unrolled(input);
    }

    /// <summary>The reset_after computation step by step in ordinary ops, for any pair of activations.</summary>
    private Tensor Unrolled(Tensor input)
    {
        int u = Units;
        var projected = input.MatMul(Kernel!);
        Tensor? recurrentBias = null;
        if (Bias is not null)
        {
            projected += Bias.Narrow(0, 0, 1);
            recurrentBias = Bias.Narrow(0, 1, 1);
        }
        var h = Tensor.Zeros(input.Dims[0], u);
        return Unroll(projected, xt =>
        {
            var recurrent = h.MatMul(RecurrentKernel!);
            if (recurrentBias is not null) recurrent += recurrentBias;
            var x = xt.Split(u, 1);
            var r = recurrent.Split(u, 1);
            var update = recurrentActivation.Apply(x[0] + r[0]);
            var reset = recurrentActivation.Apply(x[1] + r[1]);
            var candidate = activation.Apply(x[2] + reset * r[2]);
            return h = update * h + (1f - update) * candidate;
        });
    }

    /// <summary>The reset-before form (Keras's reset_after=False) step by step in ordinary ops.</summary>
    private Tensor UnrolledResetBefore(Tensor input)
    {
        int u = Units;
        var projected = input.MatMul(Kernel!);
        if (Bias is not null) projected += Bias;
        var gatesKernel = RecurrentKernel!.Narrow(1, 0, 2 * u);
        var candidateKernel = RecurrentKernel.Narrow(1, 2 * u, u);
        var h = Tensor.Zeros(input.Dims[0], u);
        return Unroll(projected, xt =>
        {
            var x = xt.Split(u, 1);
            var r = h.MatMul(gatesKernel).Split(u, 1);
            var update = recurrentActivation.Apply(x[0] + r[0]);
            var reset = recurrentActivation.Apply(x[1] + r[1]);
            var candidate = activation.Apply(x[2] + (reset * h).MatMul(candidateKernel));
            return h = update * h + (1f - update) * candidate;
        });
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig()
    {
        var config = RecurrentConfig();
        config["activation"] = activation.Name;
        config["recurrent_activation"] = recurrentActivation.Name;
        config["reset_after"] = ResetAfter;
        return config;
    }
}
