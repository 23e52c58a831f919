using Nerva.Initializers;
using Nerva.Regularizers;

namespace Nerva.Layers;

/// <summary>
/// Depthwise 2-D convolution over images [N, H, W, C] (Keras's DepthwiseConv2D): each input channel
/// c has its own depthMultiplier filters, kernel "depthwise_kernel" [kh, kw, C, depthMultiplier],
/// bias [C·depthMultiplier]; output channel c·depthMultiplier + m is filter m of channel c.
/// </summary>
public sealed class DepthwiseConv2D : Layer
{
    private readonly ActivationFunction activation;
    private readonly bool useBias;
    private readonly Initializer depthwiseInitializer, biasInitializer;
    private readonly Regularizer? depthwiseRegularizer, biasRegularizer;
    private Tensor? kernel, bias;

    /// <summary>A square-kernel depthwise convolution; see the properties for each argument.</summary>
    public DepthwiseConv2D(int kernelSize, int strides = 1, string padding = "valid", int depthMultiplier = 1, ActivationFunction? activation = null,
        bool useBias = true, int dilationRate = 1, Initializer? depthwiseInitializer = null, Initializer? biasInitializer = null,
        Regularizer? depthwiseRegularizer = null, Regularizer? biasRegularizer = null, string? name = null)
        : this((kernelSize, kernelSize), (strides, strides), padding, depthMultiplier, activation, useBias, (dilationRate, dilationRate),
            depthwiseInitializer, biasInitializer, depthwiseRegularizer, biasRegularizer, name) { }

    /// <summary>A depthwise convolution with separate heights and widths for kernel, strides and dilation.</summary>
    public DepthwiseConv2D((int Height, int Width) kernelSize, (int Height, int Width) strides, string padding = "valid", int depthMultiplier = 1,
        ActivationFunction? activation = null, bool useBias = true, (int Height, int Width)? dilationRate = null,
        Initializer? depthwiseInitializer = null, Initializer? biasInitializer = null,
        Regularizer? depthwiseRegularizer = null, Regularizer? biasRegularizer = null, string? name = null) : base(name)
    {
        var dilation = dilationRate ?? (1, 1);
        if (kernelSize.Height <= 0 || kernelSize.Width <= 0 || strides.Height <= 0 || strides.Width <= 0 || depthMultiplier <= 0
            || dilation.Height <= 0 || dilation.Width <= 0)
            throw new ArgumentException($"DepthwiseConv2D: expected positive kernel size, strides, depth multiplier and dilation, got kernel {kernelSize}, strides {strides}, multiplier {depthMultiplier}, dilation {dilation}.");
        if (padding is not ("valid" or "same")) throw new ArgumentException($"DepthwiseConv2D: expected padding 'valid' or 'same', got '{padding}'.");
        KernelSize = kernelSize;
        Strides = strides;
        Padding = padding;
        DepthMultiplier = depthMultiplier;
        DilationRate = dilation;
        this.activation = activation ?? Activations.Linear;
        this.useBias = useBias;
        this.depthwiseInitializer = depthwiseInitializer ?? new GlorotUniform();
        this.biasInitializer = biasInitializer ?? new Zeros();
        this.depthwiseRegularizer = depthwiseRegularizer;
        this.biasRegularizer = biasRegularizer;
    }

    /// <summary>Kernel height and width.</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>Steps between kernel positions.</summary>
    public (int Height, int Width) Strides { get; }

    /// <summary>"valid" (no padding) or "same" (output size = ceil(input / stride)).</summary>
    public string Padding { get; }

    /// <summary>Output channels per input channel.</summary>
    public int DepthMultiplier { get; }

    /// <summary>Spacing between kernel taps.</summary>
    public (int Height, int Width) DilationRate { get; }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape)
    {
        if (inputShape.Length != 3)
            throw ShapeUtil.Error(Name, "images [H, W, C] (without the batch)", ShapeUtil.Format(inputShape));
        int channels = inputShape[2];
        kernel = AddWeight("depthwise_kernel", [KernelSize.Height, KernelSize.Width, channels, DepthMultiplier], depthwiseInitializer, depthwiseRegularizer);
        if (useBias) bias = AddWeight("bias", [channels * DepthMultiplier], biasInitializer, biasRegularizer);
    }

    /// <inheritdoc/>
    protected override bool ShapeMatches(int[] shapeWithBatch) => shapeWithBatch.Length == 4 && shapeWithBatch[3] == kernel!.Dims[2];

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training) =>
        activation.Apply(Depthwise(input, kernel!, bias, Strides, Padding, DilationRate));

    /// <summary>
    /// The depthwise convolution as a grouped Conv2D with one group per channel. Keras's
    /// [kh, kw, C, m] kernel and the grouped op's [kh, kw, 1, C·m] kernel are the same memory:
    /// element (i, j, c, k) sits at ((i·kw + j)·C + c)·m + k in both, and the grouped op gives output
    /// channel f = c·m + k to group c, which is Keras's channel order.
    /// </summary>
    internal static Tensor Depthwise(Tensor input, Tensor kernel, Tensor? bias, (int Height, int Width) strides, string padding,
        (int Height, int Width) dilation)
    {
        if (input.Rank != 4 || input.Dims[3] != kernel.Dims[2])
            throw ShapeUtil.Error("DepthwiseConv2D", $"images [N, H, W, {kernel.Dims[2]}]", ShapeUtil.Format(input.Dims));
        int channels = kernel.Dims[2];
        var grouped = kernel.Reshape(kernel.Dims[0], kernel.Dims[1], 1, channels * kernel.Dims[3]);
        return input.Conv2D(grouped, bias, strides.Height, strides.Width, padding, dilation.Height, dilation.Width, groups: channels);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["name"] = Name, ["kernel_size"] = new[] { KernelSize.Height, KernelSize.Width },
        ["strides"] = new[] { Strides.Height, Strides.Width }, ["padding"] = Padding, ["depth_multiplier"] = DepthMultiplier,
        ["activation"] = activation.Name, ["use_bias"] = useBias, ["dilation_rate"] = new[] { DilationRate.Height, DilationRate.Width },
        ["depthwise_initializer"] = depthwiseInitializer.Name, ["bias_initializer"] = biasInitializer.Name,
        ["depthwise_regularizer"] = depthwiseRegularizer, ["bias_regularizer"] = biasRegularizer,
    };
}
