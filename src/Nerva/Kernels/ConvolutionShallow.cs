using System.Buffers;
using static Nerva.Kernels.ConvolutionSmallGemm;

namespace Nerva.Kernels;

/// <summary>
/// Forward pass and kernel gradient of shallow or narrow convolutions (one group, kh·kw·cin ≤ <see cref="MaxDepth"/>:
/// first layers, where the input has 1–3 channels; or at most 16 filters) straight from the image, with no patch matrix.
/// </summary>
/// <remarks>
/// Patch element p of output pixel r sits at input offset pixel[r] + tap[p] (the receptive field's
/// corner plus the tap's place in it), so <see cref="ConvolutionSmallGemm"/> reads the implicit
/// patch matrix through two offset tables: pixels × taps for the forward pass, taps × pixels
/// (its transpose) for the kernel gradient. im2col would write kh·kw copies of every input value,
/// which for a 1-channel image cost more than the arithmetic. Padded geometries first copy a few
/// images at a time into a zero-bordered buffer so every tap has an address.
/// </remarks>
internal static unsafe class ConvolutionShallow
{
    /// <summary>
    /// Shallow patches, and any depth when there are at most <see cref="NarrowFilters"/> filters: there
    /// a packed GEMM copies a patch matrix kh·kw times the input's size for one 16-wide vector of
    /// output per pixel, and the copying costs about as much as the arithmetic (measured on a
    /// 16→16 3×3 layer: forward 1.5–1.7 → 1.1–1.3 ms, kernel gradient 1.7–2.0 → 1.25–1.45 ms).
    /// </summary>
    public static bool Applies(in Conv2DGeometry g) => g.Groups == 1 && (g.PatchSize <= MaxDepth || g.OutChannels <= NarrowFilters) && IsSupported;

    /// <summary>Filter counts up to which this path wins at any patch depth: one AVX-512 vector.</summary>
    private const int NarrowFilters = 16;

    /// <summary>Pixels per product: enough rows to amortise the call, a table that stays in L1.</summary>
    private const int PixelBlock = 1024;

    /// <summary>Bound on the padded copy, in floats (1 MiB), at least one image.</summary>
    private const int PaddedFloats = 1 << 18;

    public static void Run(bool forward, ConvolutionJob job, bool accumulate)
    {
        var g = job.G;
        int parts = Math.Max(1, Math.Min(job.Threads, g.OutPixels / Convolution.MinChunkRows));
        var source = new Source(g);
        if (forward)
            Convolution.RunParts(parts, part =>
            {
                var (r0, r1) = Convolution.Slice(part, parts, g.OutPixels);
                RunRows(true, job, source, r0, r1, null, null);
            });
        else
            Convolution.RunGradientParts(job, parts, accumulate, (part, dw, db) =>
            {
                var (r0, r1) = Convolution.Slice(part, parts, g.OutPixels);
                RunRows(false, job, source, r0, r1, dw, db);
            });
    }

    /// <summary>Output pixels [r0, r1): the forward pass into job.Output, or their share of the gradients into dw and db.</summary>
    private static void RunRows(bool forward, in ConvolutionJob job, in Source source, int r0, int r1, float* dw, float* db)
    {
        var g = job.G;
        int k = g.PatchSize, f = g.OutChannels, perImage = g.OutHeight * g.OutWidth;
        int imagesPerChunk = source.Padded ? Math.Max(1, PaddedFloats / source.ImageLength) : g.Batch;
        int[] tables = ArrayPool<int>.Shared.Rent(k + PixelBlock);
        float[] padded = ArrayPool<float>.Shared.Rent(source.Padded ? imagesPerChunk * source.ImageLength : 1);
        try
        {
            fixed (int* taps = tables)
            fixed (float* paddedImages = padded)
            {
                int* pixels = taps + k;
                for (int i = 0, p = 0; i < g.KernelHeight; i++)
                    for (int j = 0; j < g.KernelWidth; j++)
                        for (int c = 0; c < g.InChannels; c++)
                            taps[p++] = (i * g.DilationH * source.Width + j * g.DilationW) * g.InChannels + c;
                for (int r = r0; r < r1;)
                {
                    // Images [first, first + imagesPerChunk) are addressable from image; pixels r..chunkEnd lie in them.
                    int first = r / perImage, chunkEnd = (int)Math.Min(r1, (long)(first + imagesPerChunk) * perImage);
                    float* image = job.Input;
                    if (source.Padded)
                    {
                        source.Pad(job.Input, paddedImages, first, (chunkEnd - 1) / perImage + 1);
                        image = paddedImages;
                    }
                    else first = 0;
                    for (; r < chunkEnd; r += PixelBlock)
                    {
                        int count = Math.Min(PixelBlock, chunkEnd - r);
                        var pixel = new PixelCursor(g.OutHeight, g.OutWidth, g.StrideH, g.StrideW, 0, 0, r);
                        for (int i = 0; i < count; i++, pixel.Next())
                            pixels[i] = (((pixel.Image - first) * source.Height + pixel.InRow) * source.Width + pixel.InCol) * g.InChannels;
                        float* dy = job.Output + (long)r * f;
                        if (forward)
                        {
                            Multiply(count, f, k, image, new Table(pixels), new Table(taps), job.Kernel, f, dy, f, job.Bias, false);
                            continue;
                        }
                        Multiply(k, f, count, image, new Table(taps), new Table(pixels), dy, f, dw, f, null, true);
                        if (db != null) Convolution.SumRows(dy, db, 0, count, f);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(tables);
            ArrayPool<float>.Shared.Return(padded);
        }
    }

    /// <summary>
    /// Where the taps read: the input itself, or, when any tap falls outside the image, zero-bordered
    /// copies of just the region the output reads ((out − 1)·s + (k − 1)·d + 1 per side).
    /// </summary>
    private readonly struct Source
    {
        private readonly Conv2DGeometry _g;

        public Source(in Conv2DGeometry g)
        {
            _g = g;
            int height = (g.OutHeight - 1) * g.StrideH + (g.KernelHeight - 1) * g.DilationH + 1;
            int width = (g.OutWidth - 1) * g.StrideW + (g.KernelWidth - 1) * g.DilationW + 1;
            Padded = g.PadTop > 0 || g.PadLeft > 0 || height > g.InHeight || width > g.InWidth;
            (Height, Width) = Padded ? (height, width) : (g.InHeight, g.InWidth);
        }

        public bool Padded { get; }
        public int Height { get; }
        public int Width { get; }
        public int ImageLength => Height * Width * _g.InChannels;

        /// <summary>Copies images [first, end) of x into dst, zero where the region leaves the image.</summary>
        public void Pad(float* x, float* dst, int first, int end)
        {
            int c = _g.InChannels, h = _g.InHeight, w = _g.InWidth;
            // Columns [left, right) of a padded row come from the image; the rest are zero.
            int left = Math.Min(_g.PadLeft, Width), right = Math.Clamp(w + _g.PadLeft, left, Width);
            for (int b = first; b < end; b++)
                for (int row = 0; row < Height; row++, dst += (long)Width * c)
                {
                    int ih = row - _g.PadTop;
                    if ((uint)ih >= (uint)h)
                    {
                        new Span<float>(dst, Width * c).Clear();
                        continue;
                    }
                    ConvolutionRowOps.Clear(dst, left * c);
                    ConvolutionRowOps.Copy(x + ((long)(b * h + ih) * w + left - _g.PadLeft) * c, dst + left * c, (right - left) * c);
                    ConvolutionRowOps.Clear(dst + right * c, (Width - right) * c);
                }
        }
    }
}
