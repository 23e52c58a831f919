using System.Runtime.Intrinsics;

namespace Nerva.Kernels;

/// <summary>
/// Batch normalization over the last axis of a [rows, channels] block (NHWC images, [N, C] features):
/// per-channel statistics, the normalising affine map and the two reductions of the backward pass,
/// each one sweep over the data with the channels in SIMD lanes (16-wide, then 8-wide, then scalar). The composed version took eleven
/// elementwise ops and as many full-size temporaries.
/// </summary>
internal static class BatchNormKernels
{
    /// <summary>Rows each part sums in float before adding into its double totals (keeps long sums accurate).</summary>
    private const int BlockRows = 256;

    /// <summary>Per-channel mean and biased variance over the rows (two passes: sums, then squared deviations).</summary>
    public static void Moments(ReadOnlySpan<float> x, int channels, Span<float> mean, Span<float> variance)
    {
        int rows = x.Length / channels;
        var sums = ChannelSums(x, default, default, channels, squaredDeviation: false);
        for (int c = 0; c < channels; c++) mean[c] = rows == 0 ? 0f : (float)(sums[c] / rows);
        var squares = ChannelSums(x, mean, default, channels, squaredDeviation: true);
        for (int c = 0; c < channels; c++) variance[c] = rows == 0 ? 0f : (float)(squares[c] / rows);
    }

    /// <summary>Σ dy and Σ dy·(x − mean) per channel: what the backward pass needs from the data.</summary>
    public static void GradientSums(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, ReadOnlySpan<float> mean, int channels, Span<float> sumDy, Span<float> sumDyCentered)
    {
        var sums = ChannelSums(dy, default, default, channels, squaredDeviation: false);
        var products = ChannelSums(x, mean, dy, channels, squaredDeviation: false);
        for (int c = 0; c < channels; c++)
        {
            sumDy[c] = (float)sums[c];
            sumDyCentered[c] = (float)products[c];
        }
    }

    /// <summary>y = a·u + b·x + d per channel (u may be x itself): the forward map and the input gradient.</summary>
    public static unsafe void Affine(ReadOnlySpan<float> u, ReadOnlySpan<float> x, ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> d, Span<float> y, int channels)
    {
        int rows = y.Length / channels;
        int parts = Parts(y.Length, rows);
        fixed (float* up = u, xp = x, ap = a, bp = b, dp = d, yp = y)
        {
            var (ua, xa, aa, ba, da, ya) = ((nint)up, (nint)xp, (nint)ap, (nint)bp, (nint)dp, (nint)yp);
            bool withX = !b.IsEmpty;
            Convolution.RunParts(parts, part =>
            {
                var (r0, r1) = Convolution.Slice(part, parts, rows);
                float* uRow = (float*)ua, xRow = (float*)xa, yRow = (float*)ya, pa = (float*)aa, pb = (float*)ba, pd = (float*)da;
                for (long r = r0; r < r1; r++)
                {
                    long offset = r * channels;
                    int c = 0;
                    if (Vector512.IsHardwareAccelerated)
                    {
                        for (; c <= channels - 16; c += 16)
                        {
                            var value = Vector512.Load(pa + c) * Vector512.Load(uRow + offset + c) + Vector512.Load(pd + c);
                            if (withX) value += Vector512.Load(pb + c) * Vector512.Load(xRow + offset + c);
                            value.Store(yRow + offset + c);
                        }
                    }
                    if (Vector256.IsHardwareAccelerated)
                    {
                        for (; c <= channels - 8; c += 8)
                        {
                            var value = Vector256.Load(pa + c) * Vector256.Load(uRow + offset + c) + Vector256.Load(pd + c);
                            if (withX) value += Vector256.Load(pb + c) * Vector256.Load(xRow + offset + c);
                            value.Store(yRow + offset + c);
                        }
                    }
                    for (; c < channels; c++)
                        yRow[offset + c] = pa[c] * uRow[offset + c] + pd[c] + (withX ? pb[c] * xRow[offset + c] : 0f);
                }
            });
        }
    }

    /// <summary>
    /// Per-channel sums over the rows of v, of v − shift (squared when <paramref name="squaredDeviation"/>),
    /// or of (v − shift)·w when <paramref name="weights"/> is given; split into row parts, each with its own totals.
    /// </summary>
    private static unsafe double[] ChannelSums(ReadOnlySpan<float> v, ReadOnlySpan<float> shift, ReadOnlySpan<float> weights, int channels, bool squaredDeviation)
    {
        int rows = v.Length / channels;
        int parts = Parts(v.Length, rows);
        var totals = new double[parts * channels];
        bool shifted = !shift.IsEmpty, weighted = !weights.IsEmpty;
        fixed (float* vp = v, sp = shift, wp = weights)
        {
            var (va, sa, wa) = ((nint)vp, (nint)sp, (nint)wp);
            Convolution.RunParts(parts, part =>
            {
                var (r0, r1) = Convolution.Slice(part, parts, rows);
                float* values = (float*)va, centre = (float*)sa, w = (float*)wa;
                Span<float> block = channels <= 1024 ? stackalloc float[channels] : new float[channels];
                fixed (float* acc = block)
                {
                    for (int b0 = r0; b0 < r1; b0 += BlockRows)
                    {
                        block.Clear();
                        int b1 = Math.Min(r1, b0 + BlockRows);
                        for (long r = b0; r < b1; r++)
                        {
                            float* row = values + r * channels, rowW = w + r * channels;
                            int c = 0;
                            if (Vector512.IsHardwareAccelerated)
                            {
                                for (; c <= channels - 16; c += 16)
                                {
                                    var value = Vector512.Load(row + c);
                                    if (shifted) value -= Vector512.Load(centre + c);
                                    if (squaredDeviation) value *= value;
                                    else if (weighted) value *= Vector512.Load(rowW + c);
                                    (Vector512.Load(acc + c) + value).Store(acc + c);
                                }
                            }
                            if (Vector256.IsHardwareAccelerated)
                            {
                                for (; c <= channels - 8; c += 8)
                                {
                                    var value = Vector256.Load(row + c);
                                    if (shifted) value -= Vector256.Load(centre + c);
                                    if (squaredDeviation) value *= value;
                                    else if (weighted) value *= Vector256.Load(rowW + c);
                                    (Vector256.Load(acc + c) + value).Store(acc + c);
                                }
                            }
                            for (; c < channels; c++)
                            {
                                float value = row[c] - (shifted ? centre[c] : 0f);
                                acc[c] += squaredDeviation ? value * value : weighted ? value * rowW[c] : value;
                            }
                        }
                        for (int c = 0; c < channels; c++) totals[part * channels + c] += acc[c];
                    }
                }
            });
        }
        for (int part = 1; part < parts; part++)
            for (int c = 0; c < channels; c++) totals[c] += totals[part * channels + c];
        return totals;
    }

    private static int Parts(int elements, int rows) =>
        elements < Parallelism.ElementwiseGrain ? 1 : Math.Max(1, Math.Min(Convolution.MaxThreads, rows));
}
