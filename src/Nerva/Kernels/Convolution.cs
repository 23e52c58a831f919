using System.Buffers;

namespace Nerva.Kernels;

/// <summary>
/// 2-D convolution (and Conv1D as height 1) over NHWC images with Keras HWIO kernels: the forward
/// pass and both gradients, on spans. See <see cref="Conv2DGeometry"/> for the layouts.
/// </summary>
/// <remarks>
/// <para>The forward pass is a GEMM of the patch matrix [batch·outH·outW, kh·kw·cin] (im2col) with the
/// kernel, which in HWIO order already is the [kh·kw·cin, filters] row-major matrix; the input
/// gradient is col2im(dOutput · kernelᵀ), the kernel gradient im2col(input)ᵀ · dOutput. Special
/// cases, by shape: a 1×1, stride-1, unpadded convolution is one GEMM on the input itself;
/// depthwise convolution runs as a direct vectorised loop (<see cref="ConvolutionDepthwise"/>);
/// shallow patches (kh·kw·cin ≤ 32, first layers) read the image in place through offset tables
/// (<see cref="ConvolutionShallow"/>); other one-group forward passes pack patches straight into
/// the GEMM micro-kernel's layout (<see cref="ConvolutionPacked"/>); the rest is im2col + GEMM
/// (<see cref="ConvolutionGemm"/>).</para>
/// <para>Patches are built a chunk at a time in pooled buffers sized to stay in L1/L2, so no call
/// allocates full-size buffers. Large problems are split by output rows (by whole images where
/// writes to the input gradient would otherwise overlap) across the cores: each part builds its
/// own patches and runs a single-threaded GEMM, so im2col and col2im are parallel too. Problems
/// too small to split run on one thread, or as one multi-threaded GEMM when there are too few
/// rows to divide.</para>
/// </remarks>
public static unsafe class Convolution
{
    /// <summary>Target size of one part's patch-matrix chunk, in floats (1 MiB: about half an L2).</summary>
    internal const int ScratchFloats = 1 << 18;

    /// <summary>Fewest patch rows per chunk, so a GEMM's packing of the kernel stays a small share of its work.</summary>
    internal const int MinChunkRows = 96;

    /// <summary>output = conv(input, kernel) (+ bias). Shapes: see <see cref="Conv2DGeometry"/>.</summary>
    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, Span<float> output, in Conv2DGeometry g)
        => Forward(input, kernel, default, output, g);

    /// <summary>
    /// output[b, oh, ow, f] = bias[f] + Σ_{i, j, c} input[b, oh·s − pad + i·d, ow·s − pad + j·d, group(f)·cg + c] · kernel[i, j, c, f].
    /// </summary>
    /// <param name="input">NHWC [batch, inH, inW, inC].</param>
    /// <param name="kernel">HWIO [kh, kw, inC / groups, filters].</param>
    /// <param name="bias">[filters], or empty for none.</param>
    /// <param name="output">NHWC [batch, outH, outW, filters]; overwritten.</param>
    /// <param name="g">The geometry, usually from <see cref="Conv2DGeometry.Create"/>.</param>
    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> kernel, ReadOnlySpan<float> bias, Span<float> output, in Conv2DGeometry g)
    {
        g.CheckLengths("Conv2D", input.Length, kernel.Length, output.Length);
        CheckBias("Conv2D", bias.Length, g.OutChannels);
        if (g.OutPixels == 0) return;
        bool hasBias = !bias.IsEmpty;
        fixed (float* x = input, w = kernel, b = bias, y = output)
        {
            var job = new ConvolutionJob(g, x, w, y, hasBias ? b : null, Threads(g));
            if (ConvolutionDepthwise.Applies(g)) ConvolutionDepthwise.Forward(job);
            else if (IsPointwise(g))
            {
                if (hasBias) AddBias(output[..g.OutputLength], bias, assign: true);
                Gemm.Multiply(false, false, g.OutPixels, g.OutChannels, g.InChannels, input, kernel, output, hasBias, GemmPath.Auto, job.Threads);
            }
            else if (ConvolutionShallow.Applies(g)) ConvolutionShallow.Run(forward: true, job, accumulate: false);
            else if (g.Groups == 1) ConvolutionPacked.Forward(job);
            else ConvolutionGemm.Run(ConvolutionGemm.Pass.Forward, job, accumulate: false);
        }
    }

    /// <summary>
    /// dInput = the gradient of <see cref="Forward(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, in Conv2DGeometry)"/>
    /// with respect to its input: col2im(dOutput · kernelᵀ). Also the forward pass of a transposed
    /// convolution (see <see cref="Conv2DGeometry.CreateTranspose"/>).
    /// </summary>
    /// <param name="dOutput">NHWC [batch, outH, outW, filters].</param>
    /// <param name="kernel">HWIO [kh, kw, inC / groups, filters].</param>
    /// <param name="dInput">NHWC [batch, inH, inW, inC]; overwritten, or added to when <paramref name="accumulate"/>.</param>
    /// <param name="g">The geometry of the forward convolution.</param>
    /// <param name="accumulate">Add to <paramref name="dInput"/> instead of overwriting it.</param>
    public static void BackwardInput(ReadOnlySpan<float> dOutput, ReadOnlySpan<float> kernel, Span<float> dInput, in Conv2DGeometry g, bool accumulate = false)
    {
        g.CheckLengths("Conv2D backward (input)", dInput.Length, kernel.Length, dOutput.Length);
        if (g.OutPixels == 0)
        {
            if (!accumulate) dInput[..g.InputLength].Clear();
            return;
        }
        fixed (float* x = dInput, w = kernel, y = dOutput)
        {
            var job = new ConvolutionJob(g, x, w, y, null, Threads(g));
            if (ConvolutionDepthwise.Applies(g)) ConvolutionDepthwise.BackwardInput(job, accumulate);
            else if (IsPointwise(g))
                Gemm.Multiply(false, true, g.OutPixels, g.InChannels, g.OutChannels, dOutput, kernel, dInput, accumulate, GemmPath.Auto, job.Threads);
            else ConvolutionGemm.Run(ConvolutionGemm.Pass.BackwardInput, job, accumulate);
        }
    }

    /// <summary>dKernel = im2col(input)ᵀ · dOutput: the gradient of the forward pass with respect to its kernel.</summary>
    public static void BackwardKernel(ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, Span<float> dKernel, in Conv2DGeometry g, bool accumulate = false)
        => BackwardKernel(input, dOutput, dKernel, default, g, accumulate);

    /// <summary>
    /// dKernel = im2col(input)ᵀ · dOutput and, when <paramref name="dBias"/> is not empty, the bias
    /// gradient (dOutput summed over batch, height and width) in the same pass over dOutput.
    /// </summary>
    /// <param name="input">NHWC [batch, inH, inW, inC], the forward pass's input.</param>
    /// <param name="dOutput">NHWC [batch, outH, outW, filters].</param>
    /// <param name="dKernel">HWIO [kh, kw, inC / groups, filters]; overwritten, or added to when <paramref name="accumulate"/>.</param>
    /// <param name="dBias">[filters], or empty; overwritten, or added to when <paramref name="accumulate"/>.</param>
    /// <param name="g">The geometry of the forward convolution.</param>
    /// <param name="accumulate">Add to the gradients instead of overwriting them.</param>
    public static void BackwardKernel(ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, Span<float> dKernel, Span<float> dBias, in Conv2DGeometry g, bool accumulate = false)
    {
        g.CheckLengths("Conv2D backward (kernel)", input.Length, dKernel.Length, dOutput.Length);
        CheckBias("Conv2D backward (kernel)", dBias.Length, g.OutChannels);
        if (g.OutPixels == 0 || IsPointwise(g))
        {
            if (!dBias.IsEmpty) BiasGradient(dOutput[..g.OutputLength], dBias, accumulate);
            Gemm.Multiply(true, false, g.InChannels, g.OutChannels, g.OutPixels, input, dOutput, dKernel, accumulate, GemmPath.Auto, Threads(g));
            return;
        }
        fixed (float* x = input, w = dKernel, y = dOutput, b = dBias)
        {
            var job = new ConvolutionJob(g, x, w, y, dBias.IsEmpty ? null : b, Threads(g));
            if (ConvolutionDepthwise.Applies(g)) ConvolutionDepthwise.BackwardKernel(job, accumulate);
            else if (ConvolutionShallow.Applies(g)) ConvolutionShallow.Run(forward: false, job, accumulate);
            else if (g.Groups == 1) ConvolutionPacked.BackwardKernel(job, accumulate);
            else ConvolutionGemm.Run(ConvolutionGemm.Pass.BackwardKernel, job, accumulate);
        }
    }

    /// <summary>
    /// dBias[f] = Σ over rows of dOutput[row, f], where the channel count is dBias.Length: the bias
    /// gradient of a convolution (rows = batch·outH·outW) or of any layer adding a per-channel bias.
    /// </summary>
    public static void BiasGradient(ReadOnlySpan<float> dOutput, Span<float> dBias, bool accumulate = false)
    {
        int channels = dBias.Length;
        if (channels == 0) return;
        if (dOutput.Length % channels != 0)
            throw new ArgumentException($"Conv2D bias gradient: expected dOutput length a multiple of {channels} channels, got {dOutput.Length}.");
        int rows = dOutput.Length / channels;
        int parts = dOutput.Length < Parallelism.ElementwiseGrain ? 1 : Math.Min(rows, MaxThreads);
        fixed (float* dy = dOutput, db = dBias)
        {
            if (parts == 1)
            {
                if (!accumulate) dBias.Clear();
                SumRows(dy, db, 0, rows, channels);
                return;
            }
            float[] partials = ArrayPool<float>.Shared.Rent(parts * channels);
            try
            {
                fixed (float* p = partials)
                {
                    var (dyPtr, pPtr) = ((nint)dy, (nint)p);
                    RunParts(parts, part =>
                    {
                        float* sum = (float*)pPtr + part * channels;
                        ConvolutionRowOps.Clear(sum, channels);
                        SumRows((float*)dyPtr, sum, (int)((long)rows * part / parts), (int)((long)rows * (part + 1) / parts), channels);
                    });
                    if (!accumulate) dBias.Clear();
                    for (int part = 0; part < parts; part++) ConvolutionRowOps.Add(db, p + part * channels, channels);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(partials);
            }
        }
    }

    /// <summary>output[row, c] += bias[c] (or = bias[c] when <paramref name="assign"/>), where the channel count is bias.Length.</summary>
    public static void AddBias(Span<float> output, ReadOnlySpan<float> bias, bool assign = false)
    {
        int channels = bias.Length;
        if (channels == 0) return;
        if (output.Length % channels != 0)
            throw new ArgumentException($"Conv2D bias: expected output length a multiple of {channels} channels, got {output.Length}.");
        fixed (float* y = output, b = bias)
            for (long i = 0; i < output.Length; i += channels)
                if (assign) ConvolutionRowOps.Copy(b, y + i, channels);
                else ConvolutionRowOps.Add(y + i, b, channels);
    }

    internal static void SumRows(float* rows, float* sum, int start, int end, int channels) =>
        ConvolutionRowOps.SumRows(rows, sum, start, end, channels);

    /// <summary>A 1×1 convolution that visits every pixel once: the input already is the patch matrix.</summary>
    private static bool IsPointwise(in Conv2DGeometry g) =>
        g.KernelHeight == 1 && g.KernelWidth == 1 && g.StrideH == 1 && g.StrideW == 1 && g.PadTop == 0 && g.PadLeft == 0
        && g.Groups == 1 && g.OutHeight == g.InHeight && g.OutWidth == g.InWidth;

    private static void CheckBias(string op, int length, int filters)
    {
        if (length != 0 && length != filters)
            throw new ArgumentException($"{op}: expected bias of {filters} elements (one per filter) or none, got {length}.");
    }

    internal static int MaxThreads => Math.Max(1, Math.Min(Parallelism.MaxThreads, GemmWorkers.Threads));

    /// <summary>Threads worth using: one below GEMM's own threshold for a thread hand-off.</summary>
    private static int Threads(in Conv2DGeometry g) =>
        (long)g.OutPixels * g.PatchSize * g.OutChannels < Gemm.ParallelThreshold ? 1 : MaxThreads;

    /// <summary>A part of a kernel-gradient pass: it adds its pixels' share into dKernel and, when not null, dBias.</summary>
    internal delegate void GradientPart(int part, float* dKernel, float* dBias);

    /// <summary>
    /// Runs a kernel-gradient pass in parts that each sum into their own gradient: the first part
    /// into the caller's kernel gradient (cleared unless accumulating), the others into pooled
    /// buffers added in at the end, so no two threads write the same element.
    /// </summary>
    internal static void RunGradientParts(in ConvolutionJob job, int parts, bool accumulate, GradientPart body)
    {
        int length = job.G.KernelLength, f = job.G.OutChannels;
        float* kernel = job.Kernel, bias = job.Bias;
        float[] partials = ArrayPool<float>.Shared.Rent(parts * (length + f));
        try
        {
            fixed (float* shared = partials)
            {
                var (sharedAddress, kernelAddress, hasBias) = ((nint)shared, (nint)kernel, bias != null);
                RunParts(parts, part =>
                {
                    float* own = (float*)sharedAddress + (long)part * (length + f);
                    float* dw = part == 0 ? (float*)kernelAddress : own;
                    if (part != 0 || !accumulate) new Span<float>(dw, length).Clear();
                    new Span<float>(own + length, f).Clear();
                    body(part, dw, hasBias ? own + length : null);
                });
                for (int part = 1; part < parts; part++) ConvolutionRowOps.Add(kernel, shared + (long)part * (length + f), length);
                if (bias == null) return;
                if (!accumulate) new Span<float>(bias, f).Clear();
                for (int part = 0; part < parts; part++) ConvolutionRowOps.Add(bias, shared + (long)part * (length + f) + length, f);
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(partials);
        }
    }

    /// <summary>Runs body(0..parts−1) on the worker pool, or one after another when it is busy.</summary>
    internal static void RunParts(int parts, Action<int> body)
    {
        if (parts > 1 && GemmWorkers.TryRun(parts, body)) return;
        for (int part = 0; part < parts; part++) body(part);
    }

    /// <summary>Start and end of one of <paramref name="parts"/> near-equal slices of [0, count), in whole units.</summary>
    internal static (int Start, int End) Slice(int part, int parts, int count, int unit = 1)
    {
        int units = count / unit;
        return ((int)((long)units * part / parts) * unit, (int)((long)units * (part + 1) / parts) * unit);
    }
}

/// <summary>
/// One convolution call: the geometry, operand pointers (valid for the caller's fixed scope) and
/// the threads it may use. For the backward passes Input and Kernel hold the gradients being
/// written, Output the incoming gradient, Bias the bias gradient.
/// </summary>
internal readonly unsafe struct ConvolutionJob(in Conv2DGeometry g, float* input, float* kernel, float* output, float* bias, int threads)
{
    public readonly Conv2DGeometry G = g;
    public readonly float* Input = input, Kernel = kernel, Output = output, Bias = bias;
    public readonly int Threads = threads;
}
