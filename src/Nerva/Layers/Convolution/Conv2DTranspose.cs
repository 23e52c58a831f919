using Nerva.Initializers;
using Nerva.Regularizers;

namespace Nerva.Layers;

/// <summary>
/// Transposed 2-D convolution over images [N, H, W, C] (Keras's Conv2DTranspose, the learnable
/// upsampling of decoders and GAN generators): kernel [kh, kw, filters, C], bias [filters].
/// </summary>
/// <remarks>
/// Output size per axis, as Keras: "valid" H·s + max(k − s, 0), "same" H·s; with an output padding p
/// (0 ≤ p &lt; s), "valid" (H − 1)·s + k + p and "same" (H − 1)·s + k mod 2 + p, k being the dilated kernel.
/// </remarks>
public sealed class Conv2DTranspose : Layer
{
    private readonly ActivationFunction activation;
    private readonly bool useBias;
    private readonly Initializer kernelInitializer, biasInitializer;
    private readonly Regularizer? kernelRegularizer, biasRegularizer;
    private Tensor? kernel, bias;

    /// <summary>A square-kernel transposed convolution; see the properties for each argument.</summary>
    public Conv2DTranspose(int filters, int kernelSize, int strides = 1, string padding = "valid", int? outputPadding = null,
        ActivationFunction? activation = null, bool useBias = true, int dilationRate = 1, Initializer? kernelInitializer = null,
        Initializer? biasInitializer = null, Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, string? name = null)
        : this(filters, (kernelSize, kernelSize), (strides, strides), padding, outputPadding is int p ? (p, p) : null, activation, useBias,
            (dilationRate, dilationRate), kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer, name) { }

    /// <summary>A transposed convolution with separate heights and widths for kernel, strides, output padding and dilation.</summary>
    public Conv2DTranspose(int filters, (int Height, int Width) kernelSize, (int Height, int Width) strides, string padding = "valid",
        (int Height, int Width)? outputPadding = null, ActivationFunction? activation = null, bool useBias = true,
        (int Height, int Width)? dilationRate = null, Initializer? kernelInitializer = null, Initializer? biasInitializer = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, string? name = null) : base(name)
    {
        var dilation = dilationRate ?? (1, 1);
        if (filters <= 0 || kernelSize.Height <= 0 || kernelSize.Width <= 0 || strides.Height <= 0 || strides.Width <= 0
            || dilation.Height <= 0 || dilation.Width <= 0)
            throw new ArgumentException($"Conv2DTranspose: expected positive filters, kernel size, strides and dilation, got filters {filters}, kernel {kernelSize}, strides {strides}, dilation {dilation}.");
        if (padding is not ("valid" or "same")) throw new ArgumentException($"Conv2DTranspose: expected padding 'valid' or 'same', got '{padding}'.");
        if (outputPadding is { } op && (op.Height < 0 || op.Width < 0 || op.Height >= strides.Height || op.Width >= strides.Width))
            throw new ArgumentException($"Conv2DTranspose: expected output padding non-negative and smaller than the strides {strides}, got {op}.");
        Filters = filters;
        KernelSize = kernelSize;
        Strides = strides;
        Padding = padding;
        OutputPadding = outputPadding;
        DilationRate = dilation;
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

    /// <summary>The upsampling factors: steps between the kernel's placements in the output.</summary>
    public (int Height, int Width) Strides { get; }

    /// <summary>"valid" (output H·s + max(k − s, 0)) or "same" (output H·s).</summary>
    public string Padding { get; }

    /// <summary>Extra rows and columns at the bottom/right (each smaller than the stride), or null for Keras's default sizes.</summary>
    public (int Height, int Width)? OutputPadding { get; }

    /// <summary>Spacing between kernel taps.</summary>
    public (int Height, int Width) DilationRate { get; }

    /// <inheritdoc/>
    protected override void OnBuild(int[] inputShape)
    {
        if (inputShape.Length != 3)
            throw ShapeUtil.Error(Name, "images [H, W, C] (without the batch)", ShapeUtil.Format(inputShape));
        kernel = AddWeight("kernel", [KernelSize.Height, KernelSize.Width, Filters, inputShape[2]], kernelInitializer, kernelRegularizer);
        if (useBias) bias = AddWeight("bias", [Filters], biasInitializer, biasRegularizer);
    }

    /// <inheritdoc/>
    protected override bool ShapeMatches(int[] shapeWithBatch) => shapeWithBatch.Length == 4 && shapeWithBatch[3] == kernel!.Dims[3];

    /// <inheritdoc/>
    protected override Tensor Call(Tensor input, bool training) =>
        activation.Apply(input.Conv2DTranspose(kernel!, bias, Strides.Height, Strides.Width, Padding, DilationRate.Height, DilationRate.Width,
            OutputPadding?.Height, OutputPadding?.Width));

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetConfig() => new Dictionary<string, object?>
    {
        ["name"] = Name, ["filters"] = Filters, ["kernel_size"] = new[] { KernelSize.Height, KernelSize.Width },
        ["strides"] = new[] { Strides.Height, Strides.Width }, ["padding"] = Padding,
        ["output_padding"] = OutputPadding is { } p ? new[] { p.Height, p.Width } : null,
        ["activation"] = activation.Name, ["use_bias"] = useBias, ["dilation_rate"] = new[] { DilationRate.Height, DilationRate.Width },
        ["kernel_initializer"] = kernelInitializer.Name, ["bias_initializer"] = biasInitializer.Name,
        ["kernel_regularizer"] = kernelRegularizer, ["bias_regularizer"] = biasRegularizer,
    };
}
