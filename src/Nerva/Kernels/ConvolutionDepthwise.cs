namespace Nerva.Kernels;

/// <summary>
/// Depthwise convolution (groups = input channels, each channel with its own
/// filters/channels "depth multiplier" filters) as a direct loop over output pixels and kernel taps.
/// </summary>
/// <remarks>
/// im2col + GEMM would be a GEMM with kh·kw rows per group: nothing for the micro-kernel to reuse.
/// Directly, each (pixel, tap) pair is one elementwise multiply-add across the contiguous NHWC
/// channels of the input pixel, the kernel tap and the output pixel, which vectorises over channels.
/// Output channel f reads input channel f / multiplier, so with multiplier 1 all three runs line up.
/// </remarks>
internal static unsafe class ConvolutionDepthwise
{
    public static bool Applies(in Conv2DGeometry g) => g.Groups > 1 && g.InGroupChannels == 1;

    public static void Forward(ConvolutionJob job)
    {
        int parts = Parts(job, unit: 1);
        Convolution.RunParts(parts, part =>
        {
            var g = job.G;
            var (r0, r1) = Convolution.Slice(part, parts, g.OutPixels);
            int f = g.OutChannels;
            for (int r = r0; r < r1; r++)
            {
                float* y = job.Output + (long)r * f;
                if (job.Bias != null) ConvolutionRowOps.Copy(job.Bias, y, f);
                else ConvolutionRowOps.Clear(y, f);
            }
            ForEachTap(g, r0, r1, job.Input, job.Output, new ForwardTap(job.Kernel, g.InChannels, f / g.InChannels));
        });
    }

    public static void BackwardInput(ConvolutionJob job, bool accumulate)
    {
        // Neighbouring output pixels add into shared input pixels, so parts own whole images.
        int perImage = job.G.OutHeight * job.G.OutWidth;
        int parts = Parts(job, perImage);
        Convolution.RunParts(parts, part =>
        {
            var g = job.G;
            var (r0, r1) = Convolution.Slice(part, parts, g.OutPixels, perImage);
            long imageLength = (long)g.InHeight * g.InWidth * g.InChannels;
            if (!accumulate) new Span<float>(job.Input + r0 / perImage * imageLength, (int)((r1 - r0) / perImage * imageLength)).Clear();
            ForEachTap(g, r0, r1, job.Input, job.Output, new InputGradientTap(job.Kernel, g.InChannels, g.OutChannels / g.InChannels));
        });
    }

    public static void BackwardKernel(ConvolutionJob job, bool accumulate)
    {
        var g = job.G;
        int parts = Parts(job, unit: 1);
        Convolution.RunGradientParts(job, parts, accumulate, (part, dw, db) =>
        {
            var (r0, r1) = Convolution.Slice(part, parts, g.OutPixels);
            ForEachTap(g, r0, r1, job.Input, job.Output, new KernelGradientTap(dw, g.InChannels, g.OutChannels / g.InChannels));
            if (db != null) Convolution.SumRows(job.Output, db, r0, r1, g.OutChannels);
        });
    }

    /// <summary>What one (output pixel, kernel tap) pair contributes; a struct so the loop inlines it.</summary>
    private interface ITapOp
    {
        /// <summary>Input pixel, output (or dOutput) pixel, and the tap's offset in a [kh, kw, 1, filters] kernel.</summary>
        void Apply(float* inputPixel, float* outputPixel, long tapOffset);
    }

    /// <summary>y[c·m + k] += x[c] · w[c·m + k].</summary>
    private readonly struct ForwardTap(float* kernel, int channels, int multiplier) : ITapOp
    {
        public void Apply(float* x, float* y, long tap) => AddProducts(y, x, kernel + tap, channels, multiplier);
    }

    /// <summary>dx[c] += Σ_k dy[c·m + k] · w[c·m + k].</summary>
    private readonly struct InputGradientTap(float* kernel, int channels, int multiplier) : ITapOp
    {
        public void Apply(float* dx, float* dy, long tap)
        {
            float* w = kernel + tap;
            if (multiplier == 1)
            {
                ConvolutionRowOps.MultiplyAdd(dx, dy, w, channels);
                return;
            }
            for (int ch = 0; ch < channels; ch++)
            {
                float sum = 0;
                for (int m = ch * multiplier; m < (ch + 1) * multiplier; m++) sum += dy[m] * w[m];
                dx[ch] += sum;
            }
        }
    }

    /// <summary>dw[c·m + k] += x[c] · dy[c·m + k].</summary>
    private readonly struct KernelGradientTap(float* dKernel, int channels, int multiplier) : ITapOp
    {
        public void Apply(float* x, float* dy, long tap) => AddProducts(dKernel + tap, x, dy, channels, multiplier);
    }

    /// <summary>dst[c·m + k] += src[c] · w[c·m + k] for input channel c and multiplier index k.</summary>
    private static void AddProducts(float* dst, float* src, float* w, int channels, int multiplier)
    {
        if (multiplier == 1)
        {
            ConvolutionRowOps.MultiplyAdd(dst, src, w, channels);
            return;
        }
        for (int ch = 0; ch < channels; ch++)
            ConvolutionRowOps.AddScaled(dst + ch * multiplier, w + ch * multiplier, src[ch], multiplier);
    }

    /// <summary>
    /// Applies op to every (output pixel, kernel tap) pair of output pixels [r0, r1) whose tap lands
    /// inside the image; pixels are pointers to their channel runs.
    /// </summary>
    private static void ForEachTap<TOp>(in Conv2DGeometry g, int r0, int r1, float* input, float* output, TOp op) where TOp : struct, ITapOp
    {
        int h = g.InHeight, w = g.InWidth, c = g.InChannels, f = g.OutChannels;
        var pixel = new PixelCursor(g, r0);
        for (int r = r0; r < r1; r++, pixel.Next())
        {
            float* y = output + (long)r * f;
            for (int i = 0; i < g.KernelHeight; i++)
            {
                int ih = pixel.InRow + i * g.DilationH;
                if ((uint)ih >= (uint)h) continue;
                for (int j = 0; j < g.KernelWidth; j++)
                {
                    int iw = pixel.InCol + j * g.DilationW;
                    if ((uint)iw >= (uint)w) continue;
                    op.Apply(input + ((long)(pixel.Image * h + ih) * w + iw) * c, y, (long)(i * g.KernelWidth + j) * f);
                }
            }
        }
    }

    private static int Parts(in ConvolutionJob job, int unit)
    {
        int rows = job.G.OutPixels;
        return Math.Max(1, Math.Min(job.Threads, Math.Min(rows / unit, rows / Convolution.MinChunkRows)));
    }
}
