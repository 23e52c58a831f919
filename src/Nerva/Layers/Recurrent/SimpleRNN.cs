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
    private readonly bool useBias;
    private readonly Initializer kernelInitializer, recurrentInitializer, biasInitializer;
    private readonly Regularizer? kernelRegularizer, recurrentRegularizer, biasRegularizer;
    private Tensor? kernel, recurrentKernel, bias;

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
        string? name = null) : base(units, returnSequences, goBackwards, name)
    {
        this.activation = activation ?? Activations.Tanh;
        this.useBias = useBias;
        this.kernelInitializer = kernelInitializer ?? new GlorotUniform();
        this.recurrentInitializer = recurrentInitializer ?? new Orthogonal();
        this.biasInitializer = biasInitializer ?? new Zeros();
        this.kernelRegularizer = kernelRegularizer;
        this.recurrentRegularizer = recurrentRegularizer;
        this.biasRegularizer = biasRegularizer;
    }

    /// <summary>The input kernel [features, units], once built.</summary>
    public Tensor? Kernel => kernel;

    /// <summary>The recurrent kernel [units, units], once built.</summary>
    public Tensor? RecurrentKernel => recurrentKernel;

    /// <summary>The bias [units], once built (null without bias).</summary>
    public Tensor? Bias => bias;

    /// <inheritdoc/>
    protected override void BuildWeights(int features)
    {
        kernel = AddWeight("kernel", [features, Units], kernelInitializer, kernelRegularizer);
        recurrentKernel = AddWeight("recurrent_kernel", [Units, Units], recurrentInitializer, recurrentRegularizer);
        if (useBias) bias = AddWeight("bias", [Units], biasInitializer, biasRegularizer);
    }

    /// <inheritdoc/>
    protected override Tensor CallSequence(Tensor input)
    {
        if (activation.Name is "tanh" or "relu")
            return Tensor.SimpleRnn(input, kernel!, recurrentKernel!, bias, ReturnSequences, GoBackwards, relu: activation.Name == "relu");
        return Unrolled(input);
    }

    /// <summary>The same computation step by step in ordinary ops, for any activation.</summary>
    private Tensor Unrolled(Tensor input)
    {
        var projected = input.MatMul(kernel!);
        if (bias is not null) projected += bias;
        var h = Tensor.Zeros(input.Dims[0], Units);
        return Unroll(projected, xt => h = activation.Apply(xt + h.MatMul(recurrentKernel!)));
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["name"] = Name, ["units"] = Units, ["activation"] = activation.Name, ["use_bias"] = useBias,
        ["kernel_initializer"] = kernelInitializer.Name, ["recurrent_initializer"] = recurrentInitializer.Name,
        ["bias_initializer"] = biasInitializer.Name, ["return_sequences"] = ReturnSequences, ["go_backwards"] = GoBackwards,
        ["kernel_regularizer"] = kernelRegularizer, ["recurrent_regularizer"] = recurrentRegularizer, ["bias_regularizer"] = biasRegularizer,
    };
}
