using System.Numerics;
using System.Runtime.CompilerServices;

namespace Nerva.Kernels;

/// <summary>
/// Resamples every image of an NHWC batch through its own transform (Keras's
/// <c>ops.image.affine_transform</c>): each output pixel (x, y) reads the input at
/// ((a0·x + a1·y + a2) / k, (b0·x + b1·y + b2) / k) with k = c0·x + c1·y + 1, from the image's row
/// [a0, a1, a2, b0, b1, b2, c0, c1] of <c>transforms</c>. Points between pixels are interpolated
/// (bilinear or nearest) and pixels outside the image come from the fill mode.
/// </summary>
/// <remarks>
/// Fill modes follow Keras's definitions for the image abcd: reflect (d c b a | a b c d | d c b a,
/// mirrored about the outer edge of the last pixel), wrap (a b c d | a b c d | a b c d), nearest
/// (a a a a | a b c d | d d d d) and constant (k k k k | a b c d | k k k k). As in Keras's own
/// map_coordinates, the fill mode is applied to each interpolation tap, so a bilinear sample
/// straddling the edge blends the edge pixel with its reflection, wrap-around or the constant.
/// Nearest interpolation rounds half to even (torch.round, jnp.round). The output is a linear map
/// of the input, so <see cref="Backward"/> is its transpose: each output gradient is scattered back
/// with the same weights. Work is split over output rows (forward) and whole images (backward,
/// whose scatters into one image would race); channels, contiguous in NHWC, are vectorised.
/// </remarks>
public static unsafe class AffineTransform
{
    /// <summary>Floats per image in the transforms: [a0, a1, a2, b0, b1, b2, c0, c1], as Keras.</summary>
    public const int TransformLength = 8;

    /// <summary>How points outside the input image get their values.</summary>
    public enum FillMode { Reflect, Wrap, Constant, Nearest }

    /// <summary>How a point between pixels gets its value.</summary>
    public enum Interpolation { Bilinear, Nearest }

    /// <summary>Resampling in bilinear mode costs several times an elementwise op, so it pays to split smaller jobs.</summary>
    private const int Grain = Parallelism.ElementwiseGrain / 4;

    /// <summary>Reads a Keras fill-mode name ("reflect", "wrap", "constant", "nearest"); <paramref name="op"/> names the caller in the error.</summary>
    public static FillMode ParseFillMode(string name, string op) => name switch
    {
        "reflect" => FillMode.Reflect,
        "wrap" => FillMode.Wrap,
        "constant" => FillMode.Constant,
        "nearest" => FillMode.Nearest,
        _ => throw new ArgumentException($"{op}: unknown fill mode '{name}'; expected \"reflect\", \"wrap\", \"constant\" or \"nearest\"."),
    };

    /// <summary>Reads a Keras interpolation name ("bilinear", "nearest"); <paramref name="op"/> names the caller in the error.</summary>
    public static Interpolation ParseInterpolation(string name, string op) => name switch
    {
        "bilinear" => Interpolation.Bilinear,
        "nearest" => Interpolation.Nearest,
        _ => throw new ArgumentException($"{op}: unknown interpolation '{name}'; expected \"bilinear\" or \"nearest\"."),
    };

    /// <summary>The Keras name of a fill mode.</summary>
    public static string Name(FillMode mode) => mode.ToString().ToLowerInvariant();

    /// <summary>The Keras name of an interpolation.</summary>
    public static string Name(Interpolation interpolation) => interpolation.ToString().ToLowerInvariant();

    /// <summary>output[n] = image n of <paramref name="input"/> resampled through transform n; input and output are [batch, height, width, channels].</summary>
    public static void Forward(ReadOnlySpan<float> input, Span<float> output, int batch, int height, int width, int channels,
        ReadOnlySpan<float> transforms, Interpolation interpolation, FillMode fillMode, float fillValue = 0f)
    {
        var g = new Geometry(batch, height, width, channels, interpolation, fillMode);
        g.Check("AffineTransform", input.Length, output.Length, transforms.Length);
        if (g.Length == 0) return;
        fixed (float* x = input, y = output, t = transforms)
        {
            var (xa, ya, ta) = ((nint)x, (nint)y, (nint)t);
            int rowLength = width * channels;
            Parallelism.For(batch * height, Math.Max(1, Grain / rowLength), (start, end) =>
            {
                var taps = new Taps();
                for (int row = start; row < end; row++)
                {
                    int n = row / height, oy = row - n * height;
                    float* image = (float*)xa + (long)n * g.ImageLength, outRow = (float*)ya + (long)row * rowLength;
                    float* m = (float*)ta + (long)n * TransformLength;
                    for (int ox = 0; ox < width; ox++)
                    {
                        g.Locate(m, ox, oy, ref taps);
                        float* o = outRow + ox * channels;
                        if (interpolation == Interpolation.Nearest) Copy(image + taps.O0, o, channels, taps.W0, taps.Outside * fillValue);
                        else Blend(image, o, channels, ref taps, taps.Outside * fillValue);
                    }
                }
            });
        }
    }

    /// <summary>
    /// dInput = the transpose of <see cref="Forward"/> applied to dOutput: each output gradient goes back
    /// to the input pixels it was sampled from, with the same weights (constant fill takes no gradient).
    /// dInput is cleared first unless <paramref name="accumulate"/>.
    /// </summary>
    public static void Backward(ReadOnlySpan<float> dOutput, Span<float> dInput, int batch, int height, int width, int channels,
        ReadOnlySpan<float> transforms, Interpolation interpolation, FillMode fillMode, bool accumulate = false)
    {
        var g = new Geometry(batch, height, width, channels, interpolation, fillMode);
        g.Check("AffineTransform backward", dInput.Length, dOutput.Length, transforms.Length);
        if (g.Length == 0) return;
        fixed (float* dx = dInput, dy = dOutput, t = transforms)
        {
            var (dxa, dya, ta) = ((nint)dx, (nint)dy, (nint)t);
            ForImages(batch, g.ImageLength, (first, last) =>
            {
                var taps = new Taps();
                for (int n = first; n < last; n++)
                {
                    float* image = (float*)dxa + (long)n * g.ImageLength, grad = (float*)dya + (long)n * g.ImageLength;
                    float* m = (float*)ta + (long)n * TransformLength;
                    if (!accumulate) new Span<float>(image, g.ImageLength).Clear();
                    for (int oy = 0; oy < height; oy++)
                    {
                        for (int ox = 0; ox < width; ox++)
                        {
                            g.Locate(m, ox, oy, ref taps);
                            float* go = grad + (oy * width + ox) * channels;
                            Scatter(go, image + taps.O0, channels, taps.W0);
                            if (interpolation == Interpolation.Nearest) continue;
                            Scatter(go, image + taps.O1, channels, taps.W1);
                            Scatter(go, image + taps.O2, channels, taps.W2);
                            Scatter(go, image + taps.O3, channels, taps.W3);
                        }
                    }
                }
            });
        }
    }

    /// <summary>Runs body(first, last) over whole images, in parallel when the batch is large enough to pay for it.</summary>
    private static void ForImages(int batch, int imageLength, Action<int, int> body)
    {
        int parts = (int)Math.Min(Math.Min(Convolution.MaxThreads, batch), (long)batch * imageLength / Grain);
        if (parts <= 1)
        {
            body(0, batch);
            return;
        }
        Convolution.RunParts(parts, part =>
        {
            var (first, last) = Convolution.Slice(part, parts, batch);
            body(first, last);
        });
    }

    /// <summary>o[c] = w·src[c] + bias: one nearest-neighbour tap (w = 0 and bias = fill outside a constant-filled image).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(float* src, float* o, int channels, float w, float bias)
    {
        if (w == 1f)
        {
            new ReadOnlySpan<float>(src, channels).CopyTo(new Span<float>(o, channels));
            return;
        }
        for (int c = 0; c < channels; c++) o[c] = bias;
    }

    /// <summary>o[c] = bias + Σ wᵢ·image[offsetᵢ + c] over the four bilinear taps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Blend(float* image, float* o, int channels, ref Taps t, float bias)
    {
        float* p0 = image + t.O0, p1 = image + t.O1, p2 = image + t.O2, p3 = image + t.O3;
        float w0 = t.W0, w1 = t.W1, w2 = t.W2, w3 = t.W3;
        int c = 0;
        if (channels >= Vector<float>.Count)
        {
            var (v0, v1, v2, v3, vb) = (new Vector<float>(w0), new Vector<float>(w1), new Vector<float>(w2), new Vector<float>(w3), new Vector<float>(bias));
            for (; c <= channels - Vector<float>.Count; c += Vector<float>.Count)
            {
                var sum = vb + v0 * Unsafe.ReadUnaligned<Vector<float>>(p0 + c) + v1 * Unsafe.ReadUnaligned<Vector<float>>(p1 + c)
                    + v2 * Unsafe.ReadUnaligned<Vector<float>>(p2 + c) + v3 * Unsafe.ReadUnaligned<Vector<float>>(p3 + c);
                Unsafe.WriteUnaligned(o + c, sum);
            }
        }
        for (; c < channels; c++) o[c] = bias + w0 * p0[c] + w1 * p1[c] + w2 * p2[c] + w3 * p3[c];
    }

    /// <summary>dst[c] += w·g[c]; skipped for a zero weight (taps outside a constant-filled image, or exactly on a pixel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scatter(float* g, float* dst, int channels, float w)
    {
        if (w == 0f) return;
        int c = 0;
        if (channels >= Vector<float>.Count)
        {
            var vw = new Vector<float>(w);
            for (; c <= channels - Vector<float>.Count; c += Vector<float>.Count)
                Unsafe.WriteUnaligned(dst + c, Unsafe.ReadUnaligned<Vector<float>>(dst + c) + vw * Unsafe.ReadUnaligned<Vector<float>>(g + c));
        }
        for (; c < channels; c++) dst[c] += w * g[c];
    }

    /// <summary>
    /// Where one output pixel samples: up to four taps (element offsets within the image and
    /// weights; nearest uses only the first) and the total weight that falls on the constant fill.
    /// </summary>
    private struct Taps
    {
        public int O0, O1, O2, O3;
        public float W0, W1, W2, W3, Outside;
    }

    private readonly struct Geometry(int batch, int height, int width, int channels, Interpolation interpolation, FillMode fillMode)
    {
        public readonly int Batch = batch, Height = height, Width = width, Channels = channels;
        public readonly Interpolation Interpolation = interpolation;
        public readonly FillMode FillMode = fillMode;
        public int ImageLength => Height * Width * Channels;
        public long Length => (long)Batch * ImageLength;

        public void Check(string op, int inputLength, int outputLength, int transformsLength)
        {
            if (Batch < 0 || Height < 0 || Width < 0 || Channels < 0)
                throw new ArgumentException($"{op}: negative size in images [{Batch}, {Height}, {Width}, {Channels}].");
            if (inputLength != Length || outputLength != Length)
                throw new ArgumentException($"{op}: images [{Batch}, {Height}, {Width}, {Channels}] need {Length} values, got input {inputLength} and output {outputLength}.");
            if (transformsLength != (long)Batch * TransformLength)
                throw new ArgumentException($"{op}: expected {TransformLength} transform values per image ({(long)Batch * TransformLength}), got {transformsLength}.");
        }

        /// <summary>Fills <paramref name="t"/> with the taps of output pixel (x, y) under transform <paramref name="m"/>.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Locate(float* m, int x, int y, ref Taps t)
        {
            // Double precision adds no rounding of its own, so whole-pixel maps (shifts, quarter turns) land on the grid.
            double k = m[6] * (double)x + m[7] * (double)y + 1.0;
            double sx = (m[0] * (double)x + m[1] * (double)y + m[2]) / k, sy = (m[3] * (double)x + m[4] * (double)y + m[5]) / k;
            // Far-away points only need to stay far away; the clamp keeps the integer casts defined.
            sx = Math.Clamp(sx, -1e9, 1e9);
            sy = Math.Clamp(sy, -1e9, 1e9);
            t.Outside = 0f;
            if (Interpolation == Interpolation.Nearest)
            {
                long ix = (long)Math.Round(sx), iy = (long)Math.Round(sy);
                Tap(ix, iy, 1f, out t.O0, out t.W0, ref t.Outside);
                return;
            }
            double fx0 = Math.Floor(sx), fy0 = Math.Floor(sy);
            float fx = (float)(sx - fx0), fy = (float)(sy - fy0);
            long x0 = (long)fx0, y0 = (long)fy0;
            Tap(x0, y0, (1 - fy) * (1 - fx), out t.O0, out t.W0, ref t.Outside);
            Tap(x0 + 1, y0, (1 - fy) * fx, out t.O1, out t.W1, ref t.Outside);
            Tap(x0, y0 + 1, fy * (1 - fx), out t.O2, out t.W2, ref t.Outside);
            Tap(x0 + 1, y0 + 1, fy * fx, out t.O3, out t.W3, ref t.Outside);
        }

        /// <summary>One tap at pixel (x, y), possibly outside the image: its offset after the fill mode, and its weight (moved to outside for constant fill).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Tap(long x, long y, float weight, out int offset, out float w, ref float outside)
        {
            if (FillMode == FillMode.Constant && ((ulong)x >= (ulong)Width || (ulong)y >= (ulong)Height))
            {
                outside += weight;
                offset = 0;
                w = 0f;
                return;
            }
            offset = (Fix(y, Height) * Width + Fix(x, Width)) * Channels;
            w = weight;
        }

        /// <summary>The pixel index that index i (possibly outside [0, n)) reads under the fill mode.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private int Fix(long i, int n)
        {
            if ((ulong)i < (ulong)n) return (int)i;
            switch (FillMode)
            {
                case FillMode.Wrap:
                    return (int)((i % n + n) % n);
                case FillMode.Reflect:
                    // Period 2n: a b c d | d c b a.
                    long period = 2L * n, r = (i % period + period) % period;
                    return (int)(r < n ? r : period - 1 - r);
                default:
                    return i < 0 ? 0 : n - 1;
            }
        }
    }
}
