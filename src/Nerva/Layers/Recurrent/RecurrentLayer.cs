using Nerva.Initializers;
using Nerva.Regularizers;

namespace Nerva.Layers;

/// <summary>
/// What Keras's recurrent layers (<see cref="SimpleRNN"/>, <see cref="LSTM"/>, <see cref="GRU"/>) share: a
/// number of units, inputs [batch, steps, features] with any number of steps (the feature count is fixed
/// once built), the output as the last h [batch, units] or every h [batch, steps, units], and reading the
/// sequence backwards. The states start at zero.
/// </summary>
public abstract class RecurrentLayer : Layer
{
    private readonly int gates;
    private readonly bool useBias;
    private readonly Initializer kernelInitializer, recurrentInitializer, biasInitializer;
    private readonly Regularizer? kernelRegularizer, recurrentRegularizer, biasRegularizer;
    private int features;

    /// <summary>Stores the arguments every recurrent layer takes (null initializers mean Keras's defaults).</summary>
    /// <param name="units">The size of the hidden state.</param>
    /// <param name="gates">How many blocks of units the kernels hold side by side (LSTM 4, GRU 3, SimpleRNN 1).</param>
    /// <param name="useBias">Whether the layer has a bias.</param>
    /// <param name="kernelInitializer">For the input kernel (Glorot uniform).</param>
    /// <param name="recurrentInitializer">For the recurrent kernel (orthogonal).</param>
    /// <param name="biasInitializer">For the bias (zeros).</param>
    /// <param name="kernelRegularizer">Penalty on the input kernel.</param>
    /// <param name="recurrentRegularizer">Penalty on the recurrent kernel.</param>
    /// <param name="biasRegularizer">Penalty on the bias.</param>
    /// <param name="returnSequences">Return h for every step rather than the last.</param>
    /// <param name="goBackwards">Read the sequence last step first (the returned sequence is in that order too).</param>
    /// <param name="name">The layer's name.</param>
    protected RecurrentLayer(int units, int gates, bool useBias, Initializer? kernelInitializer, Initializer? recurrentInitializer,
        Initializer? biasInitializer, Regularizer? kernelRegularizer, Regularizer? recurrentRegularizer, Regularizer? biasRegularizer,
        bool returnSequences, bool goBackwards, string? name) : base(name)
    {
        Units = units > 0 ? units : throw new ArgumentException($"{GetType().Name}: expected a positive number of units, got {units}.");
        this.gates = gates;
        this.useBias = useBias;
        this.kernelInitializer = kernelInitializer ?? new GlorotUniform();
        this.recurrentInitializer = recurrentInitializer ?? new Orthogonal();
        this.biasInitializer = biasInitializer ?? new Zeros();
        this.kernelRegularizer = kernelRegularizer;
        this.recurrentRegularizer = recurrentRegularizer;
        this.biasRegularizer = biasRegularizer;
        ReturnSequences = returnSequences;
        GoBackwards = goBackwards;
    }

    /// <summary>The size of the hidden state.</summary>
    public int Units { get; }

    /// <summary>Whether the output is h at every step ([batch, steps, units]) rather than the last ([batch, units]).</summary>
    public bool ReturnSequences { get; }

    /// <summary>Whether the sequence is read last step first.</summary>
    public bool GoBackwards { get; }

    /// <summary>The input kernel [features, gates·units] (the gates' blocks side by side), once built.</summary>
    public Tensor? Kernel { get; private set; }

    /// <summary>The recurrent kernel [units, gates·units], once built.</summary>
    public Tensor? RecurrentKernel { get; private set; }

    /// <summary>The bias (see the layer for its shape), once built; null without bias.</summary>
    public Tensor? Bias { get; private set; }

    /// <summary>The bias's shape: one value per gate unit unless the layer says otherwise.</summary>
    protected virtual int[] BiasShape => [gates * Units];

    /// <summary>Adjusts the bias after its initializer filled it (LSTM's forget-gate bias of 1).</summary>
    protected virtual void InitializeBias(Tensor bias) { }

    /// <inheritdoc/>
    protected sealed override void OnBuild(int[] inputShape)
    {
        if (inputShape.Length != 2) throw ShapeUtil.Error(Name, "inputs [batch, steps, features]", $"[batch, {string.Join(", ", inputShape)}]");
        features = inputShape[1];
        Kernel = AddWeight("kernel", [features, gates * Units], kernelInitializer, kernelRegularizer);
        RecurrentKernel = AddWeight("recurrent_kernel", [Units, gates * Units], recurrentInitializer, recurrentRegularizer);
        if (!useBias) return;
        Bias = AddWeight("bias", BiasShape, biasInitializer, biasRegularizer);
        InitializeBias(Bias);
    }

    /// <summary>The Keras config keys every recurrent layer has; a layer adds its own.</summary>
    protected Dictionary<string, object?> RecurrentConfig() => new()
    {
        ["name"] = Name, ["units"] = Units, ["use_bias"] = useBias, ["kernel_initializer"] = kernelInitializer.Name,
        ["recurrent_initializer"] = recurrentInitializer.Name, ["bias_initializer"] = biasInitializer.Name,
        ["return_sequences"] = ReturnSequences, ["go_backwards"] = GoBackwards,
        ["kernel_regularizer"] = kernelRegularizer, ["recurrent_regularizer"] = recurrentRegularizer, ["bias_regularizer"] = biasRegularizer,
    };

    /// <inheritdoc/>
    protected sealed override bool ShapeMatches(int[] shapeWithBatch) => shapeWithBatch.Length == 3 && shapeWithBatch[2] == features;

    /// <inheritdoc/>
    protected sealed override string ExpectedInput(int[] builtShape) => $"input of shape [batch, steps, {features}]";

    /// <inheritdoc/>
    protected sealed override Tensor Call(Tensor input, bool training)
    {
        // The rank and feature count were checked on the way in (OnBuild or ShapeMatches).
        if (input.Dims[1] == 0) throw ShapeUtil.Error(Name, "at least one time step", ShapeUtil.Format(input.Dims));
        return CallSequence(input);
    }

    /// <summary>The output for a checked input [batch, steps ≥ 1, features].</summary>
    protected abstract Tensor CallSequence(Tensor input);

    /// <summary>
    /// Runs <paramref name="step"/> over the steps of <paramref name="projected"/> [batch, steps, width] in
    /// processing order (last first with <see cref="GoBackwards"/>); it receives the step's [batch, width]
    /// slice, advances the state it holds and returns the new h. Collects the output from the returned h.
    /// </summary>
    protected Tensor Unroll(Tensor projected, Func<Tensor, Tensor> step)
    {
        int batch = projected.Dims[0], steps = projected.Dims[1], width = projected.Dims[2];
        var outputs = new Tensor[steps];
        for (int s = 0; s < steps; s++)
        {
            int t = GoBackwards ? steps - 1 - s : s;
            outputs[s] = step(projected.Narrow(1, t, 1).Reshape(batch, width));
        }
        return ReturnSequences ? Tensor.Stack(outputs, 1) : outputs[^1];
    }
}
