namespace Nerva.Kernels;

/// <summary>
/// The shape of a 2-D pooling over NHWC images [batch, height, width, channels]; the output is
/// [batch, outHeight, outWidth, channels]. MaxPooling1D/AveragePooling1D are the same with height 1.
/// </summary>
/// <remarks>
/// Output pixel (oh, ow) pools input rows oh·StrideH − PadTop + [0, PoolHeight) and columns
/// ow·StrideW − PadLeft + [0, PoolWidth), skipping those outside the image (Keras: padding never
/// wins a max and is not counted in an average). Use <see cref="Create"/> for Keras's sizes.
/// </remarks>
public readonly record struct Pool2DGeometry(int Batch, int InHeight, int InWidth, int Channels, int PoolHeight, int PoolWidth,
    int StrideH, int StrideW, int PadTop, int PadLeft, int OutHeight, int OutWidth)
{
    /// <summary>Output pixels over the whole batch.</summary>
    public int OutPixels => Batch * OutHeight * OutWidth;

    /// <summary>Elements of the NHWC input.</summary>
    public int InputLength => Batch * InHeight * InWidth * Channels;

    /// <summary>Elements of the NHWC output.</summary>
    public int OutputLength => OutPixels * Channels;

    /// <summary>
    /// Keras's geometry for <paramref name="padding"/> "valid" (out = floor((in − pool) / stride) + 1)
    /// or "same" (out = ceil(in / stride), the odd padded pixel at the bottom/right). Strides default
    /// to the pool size, as in Keras.
    /// </summary>
    public static Pool2DGeometry Create(int batch, int inHeight, int inWidth, int channels, int poolHeight, int poolWidth,
        int strideH = 0, int strideW = 0, string padding = "valid")
    {
        if (strideH == 0) strideH = poolHeight;
        if (strideW == 0) strideW = poolWidth;
        var (outHeight, padTop) = OutputSize(inHeight, poolHeight, strideH, padding);
        var (outWidth, padLeft) = OutputSize(inWidth, poolWidth, strideW, padding);
        var g = new Pool2DGeometry(batch, inHeight, inWidth, channels, poolHeight, poolWidth, strideH, strideW, padTop, padLeft, outHeight, outWidth);
        g.Validate();
        return g;
    }

    /// <summary>Throws an exception naming the bad field when this is not a valid pooling.</summary>
    public void Validate()
    {
        if (Batch < 0 || InHeight < 1 || InWidth < 1 || Channels < 1 || PoolHeight < 1 || PoolWidth < 1 || StrideH < 1 || StrideW < 1)
            throw new ArgumentException($"Pooling: expected batch ≥ 0 and positive sizes, pool and strides, got batch {Batch}, input {InHeight}×{InWidth}×{Channels}, pool {PoolHeight}×{PoolWidth}, strides {StrideH}×{StrideW}.");
        // Every window must hold at least one input pixel, or a max would have nothing to pick.
        if (PadTop < 0 || PadLeft < 0 || PadTop >= PoolHeight || PadLeft >= PoolWidth || OutHeight < 0 || OutWidth < 0
            || (OutHeight > 0 && (OutHeight - 1) * StrideH - PadTop >= InHeight) || (OutWidth > 0 && (OutWidth - 1) * StrideW - PadLeft >= InWidth))
            throw new ArgumentException($"Pooling: expected every window to overlap the input, got padding {PadTop},{PadLeft}, pool {PoolHeight}×{PoolWidth}, output {OutHeight}×{OutWidth} from {InHeight}×{InWidth}.");
        if ((long)Batch * InHeight * InWidth * Channels > int.MaxValue)
            throw new ArgumentException("Pooling: expected fewer than 2³¹ input elements; split the batch.");
    }

    internal void CheckLengths(string op, int input, int output)
    {
        Validate();
        if (input < InputLength)
            throw new ArgumentException($"{op}: expected input of {InputLength} elements [{Batch}, {InHeight}, {InWidth}, {Channels}], got {input}.");
        if (output < OutputLength)
            throw new ArgumentException($"{op}: expected output of {OutputLength} elements [{Batch}, {OutHeight}, {OutWidth}, {Channels}], got {output}.");
    }

    private static (int Size, int PadBefore) OutputSize(int input, int pool, int stride, string padding)
    {
        if (input < 1 || pool < 1 || stride < 1)
            throw new ArgumentException($"Pooling: expected positive input size, pool and stride, got {input}, {pool}, {stride}.");
        switch (padding)
        {
            case "valid":
                if (input < pool) throw new ArgumentException($"Pooling: 'valid' padding needs input ≥ pool size ({pool}), got {input}.");
                return ((input - pool) / stride + 1, 0);
            case "same":
                int output = (input + stride - 1) / stride;
                return (output, Math.Max((output - 1) * stride + pool - input, 0) / 2);
            default:
                throw new ArgumentException($"Pooling: expected padding \"valid\" or \"same\", got \"{padding}\".");
        }
    }
}
