using System.Runtime.CompilerServices;

namespace Nerva.Kernels;

/// <summary>
/// im2col and its adjoint col2im for NHWC images. Row r of the patch matrix is output pixel r
/// (batch-major, then oh, then ow) and holds that pixel's receptive field in kernel order
/// [i, j, c] — the row order of a [kh, kw, cin, filters] kernel, so patches · kernel is the output.
/// </summary>
/// <remarks>
/// In NHWC a tap's channels are contiguous, so a patch row is a gather of runs of channels; with
/// dilation 1 and all channels taken, the kw taps of a kernel row are one contiguous run of kw·C
/// floats, copied in one go (for a 3×3 kernel on a 1-channel image: 3 copies of 3 floats per row
/// instead of 9 of 1). Taps that fall in the padding read as zero.
/// </remarks>
internal static unsafe class ConvolutionIm2Col
{
    /// <summary>
    /// Writes patch rows [r0, r1) for input channels [c0, c0 + cg) into <paramref name="col"/>,
    /// (r1 − r0) × (kh·kw·cg), row-major.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Im2Col(float* x, float* col, in Conv2DGeometry g, int r0, int r1, int c0, int cg)
    {
        int kh = g.KernelHeight, kw = g.KernelWidth, h = g.InHeight, w = g.InWidth, c = g.InChannels, dh = g.DilationH, dw = g.DilationW;
        int rowLength = kh * kw * cg, tapRow = kw * cg;
        bool runs = dw == 1 && cg == c;
        var pixel = new PixelCursor(g, r0);
        for (int r = r0; r < r1; r++, pixel.Next())
        {
            float* dst = col + (long)(r - r0) * rowLength;
            int iw0 = pixel.InCol;
            for (int i = 0; i < kh; i++, dst += tapRow)
            {
                int ih = pixel.InRow + i * dh;
                if ((uint)ih >= (uint)h)
                {
                    ConvolutionRowOps.Clear(dst, tapRow);
                    continue;
                }
                float* src = x + ((long)(pixel.Image * h + ih) * w) * c + c0;
                if (runs)
                {
                    // Taps jLo..jHi−1 are inside the image; the rest are padding.
                    int jLo = Math.Clamp(-iw0, 0, kw), jHi = Math.Clamp(w - iw0, jLo, kw);
                    ConvolutionRowOps.Clear(dst, jLo * c);
                    ConvolutionRowOps.Copy(src + (long)(iw0 + jLo) * c, dst + jLo * c, (jHi - jLo) * c);
                    ConvolutionRowOps.Clear(dst + jHi * c, (kw - jHi) * c);
                    continue;
                }
                for (int j = 0; j < kw; j++)
                {
                    int iw = iw0 + j * dw;
                    if ((uint)iw < (uint)w) ConvolutionRowOps.Copy(src + (long)iw * c, dst + j * cg, cg);
                    else ConvolutionRowOps.Clear(dst + j * cg, cg);
                }
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="Im2Col"/>: adds patch rows [r0, r1) of <paramref name="col"/> back
    /// onto input channels [c0, c0 + cg) of <paramref name="dx"/>, which the caller has initialised.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Col2Im(float* col, float* dx, in Conv2DGeometry g, int r0, int r1, int c0, int cg)
    {
        int kh = g.KernelHeight, kw = g.KernelWidth, h = g.InHeight, w = g.InWidth, c = g.InChannels, dh = g.DilationH, dw = g.DilationW;
        int rowLength = kh * kw * cg, tapRow = kw * cg;
        bool runs = dw == 1 && cg == c;
        var pixel = new PixelCursor(g, r0);
        for (int r = r0; r < r1; r++, pixel.Next())
        {
            float* src = col + (long)(r - r0) * rowLength;
            int iw0 = pixel.InCol;
            for (int i = 0; i < kh; i++, src += tapRow)
            {
                int ih = pixel.InRow + i * dh;
                if ((uint)ih >= (uint)h) continue;
                float* dst = dx + ((long)(pixel.Image * h + ih) * w) * c + c0;
                if (runs)
                {
                    int jLo = Math.Clamp(-iw0, 0, kw), jHi = Math.Clamp(w - iw0, jLo, kw);
                    ConvolutionRowOps.Add(dst + (long)(iw0 + jLo) * c, src + jLo * c, (jHi - jLo) * c);
                    continue;
                }
                for (int j = 0; j < kw; j++)
                {
                    int iw = iw0 + j * dw;
                    if ((uint)iw < (uint)w) ConvolutionRowOps.Add(dst + (long)iw * c, src + j * cg, cg);
                }
            }
        }
    }
}

/// <summary>
/// Walks output pixels in NHWC order and tracks the top-left input coordinate of each one's
/// receptive field, so the loops need no division per pixel.
/// </summary>
internal struct PixelCursor
{
    private readonly int _outWidth, _outHeight, _strideH, _strideW, _padTop, _padLeft;
    private int _oh, _ow;

    public PixelCursor(in Conv2DGeometry g, int pixel)
        : this(g.OutHeight, g.OutWidth, g.StrideH, g.StrideW, g.PadTop, g.PadLeft, pixel) { }

    public PixelCursor(int outHeight, int outWidth, int strideH, int strideW, int padTop, int padLeft, int pixel)
    {
        (_outHeight, _outWidth, _strideH, _strideW, _padTop, _padLeft) = (outHeight, outWidth, strideH, strideW, padTop, padLeft);
        int perImage = outHeight * outWidth;
        Image = pixel / perImage;
        _oh = pixel % perImage / outWidth;
        _ow = pixel % outWidth;
        InRow = _oh * strideH - padTop;
        InCol = _ow * strideW - padLeft;
    }

    /// <summary>Batch index of the current pixel.</summary>
    public int Image { get; private set; }

    /// <summary>Input row of the receptive field's top (may be negative: padding).</summary>
    public int InRow { get; private set; }

    /// <summary>Input column of the receptive field's left edge (may be negative: padding).</summary>
    public int InCol { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Next()
    {
        InCol += _strideW;
        if (++_ow < _outWidth) return;
        _ow = 0;
        InCol = -_padLeft;
        InRow += _strideH;
        if (++_oh < _outHeight) return;
        _oh = 0;
        InRow = -_padTop;
        Image++;
    }
}
