namespace Nerva.Kernels;

/// <summary>
/// The shape of a 2-D convolution over NHWC images [batch, height, width, channels] with a Keras
/// HWIO kernel [kernelHeight, kernelWidth, inChannels / groups, outChannels]; the output is NHWC
/// [batch, outHeight, outWidth, outChannels]. Conv1D is the same with height 1.
/// </summary>
/// <remarks>
/// Output pixel (oh, ow) reads input pixel (oh·StrideH − PadTop + i·DilationH, ow·StrideW − PadLeft + j·DilationW)
/// for kernel tap (i, j); taps outside the image read zero. Padding at the bottom and right is
/// implied by <see cref="OutHeight"/> and <see cref="OutWidth"/>. Output channel f belongs to group
/// f / (OutChannels / Groups) and reads that group's InChannels / Groups input channels.
/// Use <see cref="Create"/> to get Keras's "valid"/"same" sizes rather than filling this in by hand.
/// </remarks>
public readonly record struct Conv2DGeometry(int Batch, int InHeight, int InWidth, int InChannels, int OutChannels,
    int KernelHeight, int KernelWidth, int StrideH, int StrideW, int PadTop, int PadLeft, int OutHeight, int OutWidth,
    int DilationH = 1, int DilationW = 1, int Groups = 1)
{
    /// <summary>Input channels per group (the kernel's third dimension).</summary>
    public int InGroupChannels => InChannels / Groups;

    /// <summary>Output channels per group.</summary>
    public int OutGroupChannels => OutChannels / Groups;

    /// <summary>Length of one im2col row: kernelHeight·kernelWidth·InGroupChannels.</summary>
    public int PatchSize => KernelHeight * KernelWidth * InGroupChannels;

    /// <summary>Output pixels over the whole batch: the rows of the im2col matrix.</summary>
    public int OutPixels => Batch * OutHeight * OutWidth;

    /// <summary>Elements of the NHWC input.</summary>
    public int InputLength => Batch * InHeight * InWidth * InChannels;

    /// <summary>Elements of the NHWC output.</summary>
    public int OutputLength => OutPixels * OutChannels;

    /// <summary>Elements of the HWIO kernel.</summary>
    public int KernelLength => PatchSize * OutChannels;

    /// <summary>
    /// The geometry Keras/TensorFlow use for <paramref name="padding"/> "valid" or "same".
    /// </summary>
    /// <remarks>
    /// valid: out = floor((in − (k−1)·d − 1) / s) + 1, no padding. same: out = ceil(in / s), total
    /// padding max((out−1)·s + (k−1)·d + 1 − in, 0), of which the top/left get the smaller half
    /// (TensorFlow puts the odd pixel at the bottom/right; PyTorch's symmetric padding differs).
    /// </remarks>
    public static Conv2DGeometry Create(int batch, int inHeight, int inWidth, int inChannels, int outChannels,
        int kernelHeight, int kernelWidth, int strideH = 1, int strideW = 1, string padding = "valid",
        int dilationH = 1, int dilationW = 1, int groups = 1)
    {
        var (outHeight, padTop) = OutputSize(inHeight, kernelHeight, strideH, dilationH, padding);
        var (outWidth, padLeft) = OutputSize(inWidth, kernelWidth, strideW, dilationW, padding);
        var g = new Conv2DGeometry(batch, inHeight, inWidth, inChannels, outChannels, kernelHeight, kernelWidth,
            strideH, strideW, padTop, padLeft, outHeight, outWidth, dilationH, dilationW, groups);
        g.Validate();
        return g;
    }

    /// <summary>
    /// Conv1D over [batch, length, channels] with a [kernelSize, inChannels / groups, outChannels] kernel,
    /// as a height-1 Conv2D. Padding "valid", "same" or "causal" (Keras: pad (k−1)·d on the left only).
    /// </summary>
    public static Conv2DGeometry Create1D(int batch, int length, int inChannels, int outChannels, int kernelSize,
        int stride = 1, string padding = "valid", int dilation = 1, int groups = 1)
    {
        if (padding != "causal")
            return Create(batch, 1, length, inChannels, outChannels, 1, kernelSize, 1, stride, padding, 1, dilation, groups);
        CheckPositive(length, kernelSize, stride, dilation);
        int padLeft = (kernelSize - 1) * dilation;
        var g = new Conv2DGeometry(batch, 1, length, inChannels, outChannels, 1, kernelSize, 1, stride, 0, padLeft,
            1, (length - 1) / stride + 1, 1, dilation, groups);
        g.Validate();
        return g;
    }

    /// <summary>
    /// The convolution whose input gradient is a Conv2DTranspose over [batch, inHeight, inWidth, inChannels]
    /// with <paramref name="filters"/> outputs, as Keras sizes it (no output_padding): valid gives
    /// in·s + max(k_eff − s, 0), same gives in·s.
    /// </summary>
    /// <remarks>
    /// A transposed convolution is the adjoint of this geometry: its forward is
    /// <see cref="Convolution.BackwardInput"/> (dOutput := the transposed layer's input), its input
    /// gradient is <see cref="Convolution.Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, in Conv2DGeometry)"/>
    /// and its kernel gradient is <see cref="Convolution.BackwardKernel(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, in Conv2DGeometry, bool)"/>
    /// with input and dOutput swapped.
    /// The Keras Conv2DTranspose kernel [kh, kw, filters, inChannels] is exactly this geometry's HWIO kernel.
    /// </remarks>
    public static Conv2DGeometry CreateTranspose(int batch, int inHeight, int inWidth, int inChannels, int filters,
        int kernelHeight, int kernelWidth, int strideH = 1, int strideW = 1, string padding = "valid",
        int dilationH = 1, int dilationW = 1)
    {
        CheckPositive(kernelHeight, kernelWidth, strideH, strideW);
        CheckPositive(dilationH, dilationW, 1, 1);
        int outHeight = TransposeSize(inHeight, kernelHeight, strideH, dilationH, padding);
        int outWidth = TransposeSize(inWidth, kernelWidth, strideW, dilationW, padding);
        var g = Create(batch, outHeight, outWidth, filters, inChannels, kernelHeight, kernelWidth,
            strideH, strideW, padding, dilationH, dilationW);
        if (g.OutHeight != inHeight || g.OutWidth != inWidth)
            throw new InvalidOperationException($"Conv2DTranspose: geometry maps back to {g.OutHeight}×{g.OutWidth}, expected {inHeight}×{inWidth}.");
        return g;
    }

    /// <summary>Throws an exception naming the bad field when this geometry is not a valid convolution.</summary>
    public void Validate()
    {
        if (Batch < 0 || InHeight < 1 || InWidth < 1 || InChannels < 1 || OutChannels < 1)
            throw new ArgumentException($"Conv2D: expected batch ≥ 0 and positive input size and channels, got batch {Batch}, input {InHeight}×{InWidth}×{InChannels}, {OutChannels} filters.");
        CheckPositive(KernelHeight, KernelWidth, StrideH, StrideW);
        if (DilationH < 1 || DilationW < 1 || Groups < 1)
            throw new ArgumentException($"Conv2D: expected positive dilation and groups, got dilation {DilationH}×{DilationW}, groups {Groups}.");
        if (InChannels % Groups != 0 || OutChannels % Groups != 0)
            throw new ArgumentException($"Conv2D: expected input channels ({InChannels}) and filters ({OutChannels}) divisible by groups ({Groups}).");
        if (PadTop < 0 || PadLeft < 0 || OutHeight < 0 || OutWidth < 0)
            throw new ArgumentException($"Conv2D: expected non-negative padding and output size, got padding {PadTop},{PadLeft}, output {OutHeight}×{OutWidth}.");
        if ((long)Batch * InHeight * InWidth * InChannels > int.MaxValue || (long)Batch * OutHeight * OutWidth * OutChannels > int.MaxValue
            || (long)Batch * OutHeight * OutWidth * KernelHeight * KernelWidth > int.MaxValue)
            throw new ArgumentException("Conv2D: expected fewer than 2³¹ elements in the input, output and patch index; split the batch.");
    }

    internal void CheckLengths(string op, int input, int kernel, int output)
    {
        Validate();
        Check(op, "input", InputLength, input, $"[{Batch}, {InHeight}, {InWidth}, {InChannels}]");
        Check(op, "kernel", KernelLength, kernel, $"[{KernelHeight}, {KernelWidth}, {InGroupChannels}, {OutChannels}]");
        Check(op, "output", OutputLength, output, $"[{Batch}, {OutHeight}, {OutWidth}, {OutChannels}]");
    }

    private static void Check(string op, string what, int expected, int actual, string shape)
    {
        if (actual < expected)
            throw new ArgumentException($"{op}: expected {what} of {expected} elements {shape}, got {actual}.");
    }

    private static (int Size, int PadBefore) OutputSize(int input, int kernel, int stride, int dilation, string padding)
    {
        CheckPositive(input, kernel, stride, dilation);
        int effective = (kernel - 1) * dilation + 1;
        switch (padding)
        {
            case "valid":
                if (input < effective)
                    throw new ArgumentException($"Conv2D: 'valid' padding needs input ≥ dilated kernel ({effective}), got {input}.");
                return ((input - effective) / stride + 1, 0);
            case "same":
                int output = (input + stride - 1) / stride;
                int total = Math.Max((output - 1) * stride + effective - input, 0);
                return (output, total / 2);
            default:
                throw new ArgumentException($"Conv2D: expected padding \"valid\" or \"same\", got \"{padding}\".");
        }
    }

    private static int TransposeSize(int input, int kernel, int stride, int dilation, string padding)
    {
        int effective = (kernel - 1) * dilation + 1;
        return padding switch
        {
            "valid" => input * stride + Math.Max(effective - stride, 0),
            "same" => input * stride,
            _ => throw new ArgumentException($"Conv2DTranspose: expected padding \"valid\" or \"same\", got \"{padding}\"."),
        };
    }

    private static void CheckPositive(int a, int b, int c, int d)
    {
        if (a < 1 || b < 1 || c < 1 || d < 1)
            throw new ArgumentException($"Conv2D: expected positive sizes, kernel, strides and dilation, got {a}, {b}, {c}, {d}.");
    }
}
