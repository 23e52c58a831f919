using Nerva.Initializers;
using Nerva.Regularizers;

namespace Nerva.Layers;

/// <summary>
/// 2-D convolution over images [N, H, W, C] (Keras's Conv2D): kernel [kh, kw, C / groups, filters],
/// bias [filters], strides, "valid"/"same" padding, dilation and groups (groups = C is depthwise).
/// </summary>
public sealed class Conv2D : Layer
{
    private readonly ActivationFunction activation;
    private readonly bool useBias;
    private readonly Initializer kernelInitializer, biasInitializer;
    private readonly Regularizer? kernelRegularizer, biasRegularizer;
    private Tensor? kernel, bias;

    /// <summary>A square-kernel convolution; see the properties for each argument.</summary>
    public Conv2D(int filters, int kernelSize, int strides = 1, string padding = "valid", ActivationFunction? activation = null,
        bool useBias = true, int dilationRate = 1, int groups = 1, Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, string? name = null)
        : this(filters, (kernelSize, kernelSize), (strides, strides), padding, activation, useBias, (dilationRate, dilationRate), groups,
            kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer, name) { }

    /// <summary>A convolution with separate heights and widths for kernel, strides and dilation.</summary>
    public Conv2D(int filters, (int Height, int Width) kernelSize, (int Height, int Width) strides, string padding = "valid",
        ActivationFunction? activation = null, bool useBias = true, (int Height, int Width)? dilationRate = null, int groups = 1,
        Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, string? name = null) : base(name)
    {
        if (filters <= 0 || kernelSize.Height <= 0 || kernelSize.Width <= 0 || strides.Height <= 0 || strides.Width <= 0 || groups <= 0 || filters % groups != 0)
            throw new ArgumentException($"Conv2D: expected positive filters (a multiple of groups), kernel size and strides, got filters {filters}, kernel {kernelSize}, strides {strides}, groups {groups}.");
        if (padding is not ("valid" or "same")) throw new ArgumentException($"Conv2D: expected padding 'valid' or 'same', got '{padding}'.");
        Filters = filters;
        KernelSize = kernelSize;
        Strides = strides;
        Padding = padding;
        DilationRate = dilationRate ?? (1, 1);
        Groups = groups;
        this.activation = activation ?? Activations.Linear;
        this.useBias = useBias;
        this.kernelInitializer = kernelInitializer ?? new GlorotUniform();
        this.biasInitializer = biasInitializer ?? new Zeros();
        this.kernelRegularizer = kernelRegularizer;
        this.biasRegularizer = biasRegularizer;
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }

    /// <summary>Kernel height and width.</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>Steps between kernel positions.</summary>
    public (int Height, int Width) Strides { get; }

    /// <summary>"valid" (no padding) or "same" (output size = ceil(input / stride)).</summary>
    public string Padding { get; }

    /// <summary>Spacing between kernel taps.</summary>
    public (int Height, int Width) DilationRate { get; }

    /// <summary>Channel groups: each sees C / groups inputs and makes filters / groups outputs.</summary>
    public int Groups { get; }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape)
    {
        if (inputShape.Length != 3 || inputShape[2] % Groups != 0)
            throw ShapeUtil.Error(Name, $"images [H, W, C] with C a multiple of {Groups} (without the batch)", ShapeUtil.Format(inputShape));
        kernel = AddWeight("kernel", [KernelSize.Height, KernelSize.Width, inputShape[2] / Groups, Filters], kernelInitializer, kernelRegularizer);
        if (useBias) bias = AddWeight("bias", [Filters], biasInitializer, biasRegularizer);
    }

    /// <inheritdoc/>
    protected override bool ShapeMatches(int[] shapeWithBatch) => shapeWithBatch.Length == 4 && shapeWithBatch[3] == kernel!.Dims[2] * Groups;

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training) =>
        activation.Apply(input.Conv2D(kernel!, bias, Strides.Height, Strides.Width, Padding, DilationRate.Height, DilationRate.Width, Groups));

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["name"] = Name, ["filters"] = Filters, ["kernel_size"] = new[] { KernelSize.Height, KernelSize.Width },
        ["strides"] = new[] { Strides.Height, Strides.Width }, ["padding"] = Padding, ["activation"] = activation.Name, ["use_bias"] = useBias,
        ["dilation_rate"] = new[] { DilationRate.Height, DilationRate.Width }, ["groups"] = Groups,
        ["kernel_initializer"] = kernelInitializer.Name, ["bias_initializer"] = biasInitializer.Name,
        ["kernel_regularizer"] = kernelRegularizer, ["bias_regularizer"] = biasRegularizer,
    };
}
