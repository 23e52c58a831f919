using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nerva.Kernels;

/// <summary>
/// Max and average pooling over NHWC images, windowed (<see cref="Pool2DGeometry"/>) and global,
/// with their gradients. Vectorised across channels, which are contiguous in NHWC.
/// </summary>
/// <remarks>
/// Max pooling records, for each output element, the flat input index it came from (ties go to the
/// first position in the window, row-major, as in PyTorch; a NaN wins and propagates), so the
/// backward pass is one scatter. Average pooling divides by the number of window positions inside
/// the image (Keras's "same" padding: padding is not counted). Global pooling is the windowed
/// kernel with one window covering the whole image.
/// </remarks>
public static unsafe class Pooling
{
    /// <summary>output = the max of each window; argMax (same length as output, or empty) = the flat input index of each max.</summary>
    public static void MaxForward(ReadOnlySpan<float> input, Span<float> output, Span<int> argMax, in Pool2DGeometry g)
    {
        g.CheckLengths("MaxPooling2D", input.Length, output.Length);
        CheckIndices("MaxPooling2D", argMax.Length, g.OutputLength);
        fixed (float* x = input, y = output)
        fixed (int* indices = argMax)
        {
            var (xa, ya, ia, geometry) = ((nint)x, (nint)y, (nint)indices, g);
            int parts = Parts(g, byImage: false);
            Convolution.RunParts(parts, part =>
            {
                var (r0, r1) = Convolution.Slice(part, parts, geometry.OutPixels);
                ForEachWindow(geometry, r0, r1, new MaxWindow((float*)xa, (float*)ya, (int*)ia, geometry.Channels));
            });
        }
    }

    /// <summary>dInput[argMax[o]] += dOutput[o]: the max-pooling gradient, after clearing dInput unless <paramref name="accumulate"/>.</summary>
    public static void MaxBackward(ReadOnlySpan<float> dOutput, ReadOnlySpan<int> argMax, Span<float> dInput, in Pool2DGeometry g, bool accumulate = false)
    {
        g.CheckLengths("MaxPooling2D backward", dInput.Length, dOutput.Length);
        if (argMax.Length < g.OutputLength)
            throw new ArgumentException($"MaxPooling2D backward: expected {g.OutputLength} argmax indices, got {argMax.Length}.");
        Scatter(dOutput, argMax, dInput, g.Batch, g.InHeight * g.InWidth * g.Channels, g.OutHeight * g.OutWidth * g.Channels, accumulate);
    }

    /// <summary>output = the mean of each window over its positions inside the image.</summary>
    public static void AverageForward(ReadOnlySpan<float> input, Span<float> output, in Pool2DGeometry g)
    {
        g.CheckLengths("AveragePooling2D", input.Length, output.Length);
        fixed (float* x = input, y = output)
        {
            var (xa, ya, geometry) = ((nint)x, (nint)y, g);
            int parts = Parts(g, byImage: false);
            Convolution.RunParts(parts, part =>
            {
                var (r0, r1) = Convolution.Slice(part, parts, geometry.OutPixels);
                ForEachWindow(geometry, r0, r1, new AverageWindow((float*)xa, (float*)ya, geometry.Channels));
            });
        }
    }

    /// <summary>dInput[window positions] += dOutput / count: the average-pooling gradient, after clearing dInput unless <paramref name="accumulate"/>.</summary>
    public static void AverageBackward(ReadOnlySpan<float> dOutput, Span<float> dInput, in Pool2DGeometry g, bool accumulate = false)
    {
        g.CheckLengths("AveragePooling2D backward", dInput.Length, dOutput.Length);
        fixed (float* dx = dInput, dy = dOutput)
        {
            var (dxa, dya, geometry) = ((nint)dx, (nint)dy, g);
            int parts = Parts(g, byImage: true), perImage = g.OutHeight * g.OutWidth, imageLength = g.InHeight * g.InWidth * g.Channels;
            // Windows overlap when stride < pool, so parts own whole images.
            Convolution.RunParts(parts, part =>
            {
                var (r0, r1) = Convolution.Slice(part, parts, geometry.OutPixels, perImage);
                if (!accumulate) new Span<float>((float*)dxa + (long)r0 / perImage * imageLength, (r1 - r0) / perImage * imageLength).Clear();
                ForEachWindow(geometry, r0, r1, new AverageGradientWindow((float*)dxa, (float*)dya, geometry.Channels));
            });
        }
    }

    /// <summary>output[b, c] = mean over the <paramref name="pixels"/> positions of input[b, ·, c] (GlobalAveragePooling1D/2D).</summary>
    public static void GlobalAverageForward(ReadOnlySpan<float> input, Span<float> output, int batch, int pixels, int channels) =>
        AverageForward(input, output, Global(batch, pixels, channels));

    /// <summary>dInput[b, p, c] (+)= dOutput[b, c] / pixels.</summary>
    public static void GlobalAverageBackward(ReadOnlySpan<float> dOutput, Span<float> dInput, int batch, int pixels, int channels, bool accumulate = false) =>
        AverageBackward(dOutput, dInput, Global(batch, pixels, channels), accumulate);

    /// <summary>output[b, c] = max over the <paramref name="pixels"/> positions of input[b, ·, c]; argMax (or empty) = its flat input index.</summary>
    public static void GlobalMaxForward(ReadOnlySpan<float> input, Span<float> output, Span<int> argMax, int batch, int pixels, int channels) =>
        MaxForward(input, output, argMax, Global(batch, pixels, channels));

    /// <summary>dInput[argMax[o]] += dOutput[o], after clearing dInput unless <paramref name="accumulate"/>.</summary>
    public static void GlobalMaxBackward(ReadOnlySpan<float> dOutput, ReadOnlySpan<int> argMax, Span<float> dInput, int batch, int pixels, int channels, bool accumulate = false) =>
        MaxBackward(dOutput, argMax, dInput, Global(batch, pixels, channels), accumulate);

    /// <summary>One window covering a 1 × pixels image.</summary>
    private static Pool2DGeometry Global(int batch, int pixels, int channels) => new(batch, 1, pixels, channels, 1, pixels, 1, pixels, 0, 0, 1, 1);

    private static void CheckIndices(string op, int length, int expected)
    {
        if (length != 0 && length < expected)
            throw new ArgumentException($"{op}: expected {expected} argmax indices (one per output element) or none, got {length}.");
    }

    /// <summary>Parts worth running in parallel: one per core for inputs past the elementwise grain.</summary>
    private static int Parts(in Pool2DGeometry g, bool byImage)
    {
        if ((long)g.InputLength + g.OutputLength < Parallelism.ElementwiseGrain) return 1;
        return Math.Max(1, Math.Min(Convolution.MaxThreads, byImage ? g.Batch : g.OutPixels));
    }

    /// <summary>dx[indices[o]] += dy[o] within each image; parts own whole images, so no two write the same element.</summary>
    private static void Scatter(ReadOnlySpan<float> dOutput, ReadOnlySpan<int> indices, Span<float> dInput, int batch, int imageLength, int outImageLength, bool accumulate)
    {
        int invalid = 0;
        fixed (float* dx = dInput, dy = dOutput)
        fixed (int* idx = indices)
        {
            var (dxa, dya, ia) = ((nint)dx, (nint)dy, (nint)idx);
            int parts = (long)batch * (imageLength + outImageLength) < Parallelism.ElementwiseGrain ? 1 : Math.Max(1, Math.Min(Convolution.MaxThreads, batch));
            Convolution.RunParts(parts, part =>
            {
                var (b0, b1) = Convolution.Slice(part, parts, batch);
                float* dxp = (float*)dxa, dyp = (float*)dya;
                int* ip = (int*)ia;
                if (!accumulate) new Span<float>(dxp + (long)b0 * imageLength, (b1 - b0) * imageLength).Clear();
                long first = (long)b0 * imageLength, end = (long)b1 * imageLength;
                int bad = 0;
                for (long o = (long)b0 * outImageLength; o < (long)b1 * outImageLength; o++)
                {
                    int i = ip[o];
                    if (i >= first && i < end) dxp[i] += dyp[o];
                    else bad++;
                }
                if (bad > 0) Interlocked.Add(ref invalid, bad);
            });
        }
        // Checked after the parts, so a bad index is an ArgumentException here, not a worker's AggregateException.
        if (invalid > 0)
            throw new ArgumentException($"MaxPooling2D backward: {invalid} argmax indices lie outside their image; expected the indices MaxForward wrote.");
    }

    /// <summary>What a pooling does with one window: given the input offset of its top-left inside corner and its extent.</summary>
    private interface IWindowOp
    {
        /// <summary>Output pixel <paramref name="pixel"/>; the window's inside part starts at input pixel offset <paramref name="corner"/> (in pixels), rows × cols, row stride <paramref name="width"/>.</summary>
        void Apply(int pixel, long corner, int rows, int cols, int width);
    }

    /// <summary>Runs op over the windows of output pixels [r0, r1), clipped to the image.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForEachWindow<TOp>(in Pool2DGeometry g, int r0, int r1, TOp op) where TOp : struct, IWindowOp
    {
        int h = g.InHeight, w = g.InWidth, ph = g.PoolHeight, pw = g.PoolWidth;
        var cursor = new PixelCursor(g.OutHeight, g.OutWidth, g.StrideH, g.StrideW, g.PadTop, g.PadLeft, r0);
        for (int r = r0; r < r1; r++, cursor.Next())
        {
            int i0 = Math.Max(0, -cursor.InRow), i1 = Math.Min(ph, h - cursor.InRow);
            int j0 = Math.Max(0, -cursor.InCol), j1 = Math.Min(pw, w - cursor.InCol);
            long corner = ((long)cursor.Image * h + cursor.InRow + i0) * w + cursor.InCol + j0;
            op.Apply(r, corner, i1 - i0, j1 - j0, w);
        }
    }

    private static bool Simd => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    private readonly struct MaxWindow(float* x, float* y, int* indices, int channels) : IWindowOp
    {
        public void Apply(int pixel, long corner, int rows, int cols, int width)
        {
            float* output = y + (long)pixel * channels;
            int* index = indices == null ? null : indices + (long)pixel * channels;
            int c = 0;
            if (Simd)
                for (; c < channels; c += 16)
                {
                    var mask = ConvolutionRowOps.Tail(Math.Min(16, channels - c));
                    var lanes = Vector512<int>.Indices + Vector512.Create(c);
                    // The window's first position starts the search; the others replace it when strictly
                    // greater (so the first max wins) or when they are the first NaN (so NaN propagates).
                    long first = corner * channels;
                    var best = Avx512F.MaskLoad(x + first + c, mask, Vector512<float>.Zero);
                    var at = lanes + Vector512.Create((int)first);
                    for (int i = 0; i < rows; i++)
                        for (int j = i == 0 ? 1 : 0; j < cols; j++)
                        {
                            long offset = (corner + (long)i * width + j) * channels;
                            var v = Avx512F.MaskLoad(x + offset + c, mask, Vector512<float>.Zero);
                            var take = Vector512.GreaterThan(v, best) | (~Vector512.Equals(v, v) & Vector512.Equals(best, best));
                            best = Vector512.ConditionalSelect(take, v, best);
                            at = Vector512.ConditionalSelect(take.AsInt32(), lanes + Vector512.Create((int)offset), at);
                        }
                    Avx512F.MaskStore(output + c, mask, best);
                    if (index != null) Avx512F.MaskStore(index + c, mask.AsInt32(), at);
                }
            for (; c < channels; c++)
            {
                float best = float.NegativeInfinity;
                int at = -1;
                for (int i = 0; i < rows; i++)
                    for (int j = 0; j < cols; j++)
                    {
                        long offset = (corner + (long)i * width + j) * channels + c;
                        float v = x[offset];
                        if (at < 0 || v > best || (float.IsNaN(v) && !float.IsNaN(best))) (best, at) = (v, (int)offset);
                    }
                output[c] = best;
                if (index != null) index[c] = at;
            }
        }
    }

    private readonly struct AverageWindow(float* x, float* y, int channels) : IWindowOp
    {
        public void Apply(int pixel, long corner, int rows, int cols, int width)
        {
            float* output = y + (long)pixel * channels;
            // The first row is copied, the rest added: one pass, no separate clear.
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                {
                    float* row = x + (corner + (long)i * width + j) * channels;
                    if (i == 0 && j == 0) ConvolutionRowOps.Copy(row, output, channels);
                    else ConvolutionRowOps.Add(output, row, channels);
                }
            ConvolutionRowOps.Scale(output, 1f / (rows * cols), channels);
        }
    }

    private readonly struct AverageGradientWindow(float* dx, float* dy, int channels) : IWindowOp
    {
        public void Apply(int pixel, long corner, int rows, int cols, int width)
        {
            float* gradient = dy + (long)pixel * channels;
            float scale = 1f / (rows * cols);
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++)
                    ConvolutionRowOps.AddScaled(dx + (corner + (long)i * width + j) * channels, gradient, scale, channels);
        }
    }
}
