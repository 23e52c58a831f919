using Nerva.Initializers;
using Nerva.Regularizers;

namespace Nerva.Layers;

/// <summary>
/// A fully connected layer: activation(x·kernel + bias) over the last axis, with kernel
/// [in, units] and bias [units] (Keras layout). Inputs of higher rank apply it to each position.
/// Weights are made on first use, or at once when <c>inputDim</c> is given (PyTorch's habit of
/// <c>nn.Linear(in, out)</c>, so that <c>Parameters</c> can go to an optimizer before any forward pass).
/// </summary>
public sealed class Dense : Layer
{
    private readonly ActivationFunction activation;
    private readonly bool useBias;
    private readonly Initializer kernelInitializer, biasInitializer;
    private readonly Regularizer? kernelRegularizer, biasRegularizer, activityRegularizer;
    private Tensor? kernel, bias;

    /// <summary>A dense layer of <paramref name="units"/> outputs.</summary>
    public Dense(int units, ActivationFunction? activation = null, bool useBias = true,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, int? inputDim = null, string? name = null,
        Regularizer? activityRegularizer = null) : base(name)
    {
        Units = units > 0 ? units : throw new ArgumentException($"Dense: expected a positive number of units, got {units}.");
        this.activation = activation ?? Activations.Linear;
        this.useBias = useBias;
        this.kernelInitializer = kernelInitializer ?? new GlorotUniform();
        this.biasInitializer = biasInitializer ?? new Zeros();
        this.kernelRegularizer = kernelRegularizer;
        this.biasRegularizer = biasRegularizer;
        this.activityRegularizer = activityRegularizer;
        if (inputDim is int d) Build(d);
    }

    /// <summary>The number of outputs.</summary>
    public int Units { get; }

    /// <summary>The kernel [in, units], once built.</summary>
    public Tensor? Kernel => kernel;

    /// <summary>The bias [units], once built (null without bias).</summary>
    public Tensor? Bias => bias;

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape)
    {
        if (inputShape.Length == 0) throw ShapeUtil.Error(Name, "inputs with a feature axis", "[batch]");
        kernel = AddWeight("kernel", [inputShape[^1], Units], kernelInitializer, kernelRegularizer);
        if (useBias) bias = AddWeight("bias", [Units], biasInitializer, biasRegularizer);
    }

    /// <inheritdoc/>
    protected override bool ShapeMatches(int[] shapeWithBatch) => shapeWithBatch.Length >= 2 && shapeWithBatch[^1] == kernel!.Dims[0];

    private static FusedActivation? Fused(ActivationFunction activation) =>
        activation == Activations.Linear ? FusedActivation.None
        : activation == Activations.Relu ? FusedActivation.Relu
        : activation == Activations.Sigmoid ? FusedActivation.Sigmoid
        : activation == Activations.Tanh ? FusedActivation.Tanh
        : null;

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        // relu, sigmoid and tanh run inside the affine op's pass; other activations follow it.
        var fused = Fused(activation);
        var y = Tensor.Linear(input, kernel!, bias, fused ?? FusedActivation.None);
        if (fused is null) y = activation.Apply(y);
        // As tf.keras: the activity penalty is averaged over the batch.
        if (training && activityRegularizer is not null) AddLoss(activityRegularizer.Penalty(y) / y.Dims[0]);
        return y;
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["name"] = Name, ["units"] = Units, ["activation"] = activation.Name, ["use_bias"] = useBias,
        ["kernel_initializer"] = kernelInitializer.Name, ["bias_initializer"] = biasInitializer.Name,
        ["kernel_regularizer"] = kernelRegularizer, ["bias_regularizer"] = biasRegularizer, ["activity_regularizer"] = activityRegularizer,
    };
}
