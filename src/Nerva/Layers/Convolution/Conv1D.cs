using Nerva.Initializers;
using Nerva.Regularizers;

namespace Nerva.Layers;

/// <summary>
/// 1-D convolution over sequences [N, steps, C] (Keras's Conv1D): kernel [k, C / groups, filters],
/// bias [filters], padding "valid", "same" or "causal".
/// </summary>
public sealed class Conv1D(int filters, int kernelSize, int strides = 1, string padding = "valid", ActivationFunction? activation = null,
    bool useBias = true, int dilationRate = 1, int groups = 1, Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
    Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, string? name = null) : Layer(name)
{
    private readonly ActivationFunction activation = activation ?? Activations.Linear;
    private readonly Initializer kernelInitializer = kernelInitializer ?? new GlorotUniform();
    private readonly Initializer biasInitializer = biasInitializer ?? new Zeros();
    private Tensor? kernel, bias;

    /// <summary>Output channels.</summary>
    public int Filters { get; } = filters > 0 && groups > 0 && filters % groups == 0 ? filters
        : throw new ArgumentException($"Conv1D: expected positive filters that are a multiple of groups, got {filters} and {groups}.");

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape)
    {
        if (inputShape.Length != 2 || inputShape[1] % groups != 0)
            throw ShapeUtil.Error(Name, $"sequences [steps, C] with C a multiple of {groups} (without the batch)", ShapeUtil.Format(inputShape));
        kernel = AddWeight("kernel", [kernelSize, inputShape[1] / groups, Filters], kernelInitializer, kernelRegularizer);
        if (useBias) bias = AddWeight("bias", [Filters], biasInitializer, biasRegularizer);
    }

    /// <inheritdoc/>
    protected override bool ShapeMatches(int[] shapeWithBatch) => shapeWithBatch.Length == 3 && shapeWithBatch[2] == kernel!.Dims[1] * groups;

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training) =>
        activation.Apply(input.Conv1D(kernel!, bias, strides, padding, dilationRate, groups));

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["name"] = Name, ["filters"] = Filters, ["kernel_size"] = kernelSize, ["strides"] = strides, ["padding"] = padding,
        ["activation"] = activation.Name, ["use_bias"] = useBias, ["dilation_rate"] = dilationRate, ["groups"] = groups,
        ["kernel_initializer"] = kernelInitializer.Name, ["bias_initializer"] = biasInitializer.Name,
        ["kernel_regularizer"] = kernelRegularizer, ["bias_regularizer"] = biasRegularizer,
    };
}
