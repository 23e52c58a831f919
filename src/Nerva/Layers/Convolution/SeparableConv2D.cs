using Nerva.Initializers;
using Nerva.Regularizers;

namespace Nerva.Layers;

/// <summary>
/// Depthwise-separable 2-D convolution over images [N, H, W, C] (Keras's SeparableConv2D): a
/// depthwise convolution ("depthwise_kernel" [kh, kw, C, depthMultiplier], with the strides, padding
/// and dilation) followed by a 1×1 convolution ("pointwise_kernel" [1, 1, C·depthMultiplier, filters])
/// and the bias [filters].
/// </summary>
public sealed class SeparableConv2D : Layer
{
    private readonly ActivationFunction activation;
    private readonly bool useBias;
    private readonly Initializer depthwiseInitializer, pointwiseInitializer, biasInitializer;
    private readonly Regularizer? depthwiseRegularizer, pointwiseRegularizer, biasRegularizer;
    private Tensor? depthwiseKernel, pointwiseKernel, bias;

    /// <summary>A square-kernel separable convolution; see the properties for each argument.</summary>
    public SeparableConv2D(int filters, int kernelSize, int strides = 1, string padding = "valid", int depthMultiplier = 1,
        ActivationFunction? activation = null, bool useBias = true, int dilationRate = 1, Initializer? depthwiseInitializer = null,
        Initializer? pointwiseInitializer = null, Initializer? biasInitializer = null, Regularizer? depthwiseRegularizer = null,
        Regularizer? pointwiseRegularizer = null, Regularizer? biasRegularizer = null, string? name = null)
        : this(filters, (kernelSize, kernelSize), (strides, strides), padding, depthMultiplier, activation, useBias, (dilationRate, dilationRate),
            depthwiseInitializer, pointwiseInitializer, biasInitializer, depthwiseRegularizer, pointwiseRegularizer, biasRegularizer, name) { }

    /// <summary>A separable convolution with separate heights and widths for kernel, strides and dilation.</summary>
    public SeparableConv2D(int filters, (int Height, int Width) kernelSize, (int Height, int Width) strides, string padding = "valid",
        int depthMultiplier = 1, ActivationFunction? activation = null, bool useBias = true, (int Height, int Width)? dilationRate = null,
        Initializer? depthwiseInitializer = null, Initializer? pointwiseInitializer = null, Initializer? biasInitializer = null,
        Regularizer? depthwiseRegularizer = null, Regularizer? pointwiseRegularizer = null, Regularizer? biasRegularizer = null,
        string? name = null) : base(name)
    {
        var dilation = dilationRate ?? (1, 1);
        if (filters <= 0 || kernelSize.Height <= 0 || kernelSize.Width <= 0 || strides.Height <= 0 || strides.Width <= 0 || depthMultiplier <= 0
            || dilation.Height <= 0 || dilation.Width <= 0)
            throw new ArgumentException($"SeparableConv2D: expected positive filters, kernel size, strides, depth multiplier and dilation, got filters {filters}, kernel {kernelSize}, strides {strides}, multiplier {depthMultiplier}, dilation {dilation}.");
        if (padding is not ("valid" or "same")) throw new ArgumentException($"SeparableConv2D: expected padding 'valid' or 'same', got '{padding}'.");
        Filters = filters;
        KernelSize = kernelSize;
        Strides = strides;
        Padding = padding;
        DepthMultiplier = depthMultiplier;
        DilationRate = dilation;
        this.activation = activation ?? Activations.Linear;
        this.useBias = useBias;
        this.depthwiseInitializer = depthwiseInitializer ?? new GlorotUniform();
        this.pointwiseInitializer = pointwiseInitializer ?? new GlorotUniform();
        this.biasInitializer = biasInitializer ?? new Zeros();
        this.depthwiseRegularizer = depthwiseRegularizer;
        this.pointwiseRegularizer = pointwiseRegularizer;
        this.biasRegularizer = biasRegularizer;
    }

    /// <summary>Output channels.</summary>
    public int Filters { get; }

    /// <summary>Depthwise kernel height and width.</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>Steps between depthwise kernel positions.</summary>
    public (int Height, int Width) Strides { get; }

    /// <summary>"valid" (no padding) or "same" (output size = ceil(input / stride)).</summary>
    public string Padding { get; }

    /// <summary>Depthwise output channels per input channel.</summary>
    public int DepthMultiplier { get; }

    /// <summary>Spacing between depthwise kernel taps.</summary>
    public (int Height, int Width) DilationRate { get; }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape)
    {
        if (inputShape.Length != 3)
            throw ShapeUtil.Error(Name, "images [H, W, C] (without the batch)", ShapeUtil.Format(inputShape));
        int channels = inputShape[2];
        depthwiseKernel = AddWeight("depthwise_kernel", [KernelSize.Height, KernelSize.Width, channels, DepthMultiplier], depthwiseInitializer, depthwiseRegularizer);
        pointwiseKernel = AddWeight("pointwise_kernel", [1, 1, channels * DepthMultiplier, Filters], pointwiseInitializer, pointwiseRegularizer);
        if (useBias) bias = AddWeight("bias", [Filters], biasInitializer, biasRegularizer);
    }

    /// <inheritdoc/>
    protected override bool ShapeMatches(int[] shapeWithBatch) => shapeWithBatch.Length == 4 && shapeWithBatch[3] == depthwiseKernel!.Dims[2];

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training)
    {
        var depthwise = DepthwiseConv2D.Depthwise(input, depthwiseKernel!, null, Strides, Padding, DilationRate);
        return activation.Apply(depthwise.Conv2D(pointwiseKernel!, bias));
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["name"] = Name, ["filters"] = Filters, ["kernel_size"] = new[] { KernelSize.Height, KernelSize.Width },
        ["strides"] = new[] { Strides.Height, Strides.Width }, ["padding"] = Padding, ["depth_multiplier"] = DepthMultiplier,
        ["activation"] = activation.Name, ["use_bias"] = useBias, ["dilation_rate"] = new[] { DilationRate.Height, DilationRate.Width },
        ["depthwise_initializer"] = depthwiseInitializer.Name, ["pointwise_initializer"] = pointwiseInitializer.Name,
        ["bias_initializer"] = biasInitializer.Name, ["depthwise_regularizer"] = depthwiseRegularizer,
        ["pointwise_regularizer"] = pointwiseRegularizer, ["bias_regularizer"] = biasRegularizer,
    };
}
