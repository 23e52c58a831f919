using System.Buffers;

namespace Nerva.Kernels;

/// <summary>
/// The im2col + GEMM path of <see cref="Convolution"/>: the input gradient, and all passes of
/// grouped (not depthwise) convolutions. Patch rows are built a chunk at a time in a pooled buffer
/// and multiplied by the kernel (or its gradient) group by group.
/// </summary>
/// <remarks>
/// With one group the kernel and dOutput are used in place. With several, each group
/// is a column block of the [kh·kw·cg, filters] kernel and of the [pixels, filters] output; GEMM
/// takes dense matrices only, so the kernel is regrouped once per call into [groups][kh·kw·cg][filters/groups]
/// and each chunk's output columns go through a small buffer.
/// </remarks>
internal static unsafe class ConvolutionGemm
{
    public enum Pass { Forward, BackwardInput, BackwardKernel }

    public static void Run(Pass pass, in ConvolutionJob job, bool accumulate)
    {
        var g = job.G;
        int rows = g.OutPixels, perImage = g.OutHeight * g.OutWidth;
        // col2im adds into input pixels that neighbouring output pixels share, so the input
        // gradient splits by whole images; the other passes split by rows.
        int unit = pass == Pass.BackwardInput ? perImage : 1;
        int parts = Math.Max(1, Math.Min(job.Threads, Math.Min(rows / unit, rows / Convolution.MinChunkRows)));
        // Shallow patches make a narrow dOutput · kernelᵀ (n = kh·kw·cin ≤ 32), which the unpacked kernel does better.
        bool small = pass == Pass.BackwardInput && ConvolutionShallow.Applies(g);
        var plan = new Plan(pass, job, parts, unit, accumulate, small);
        int sharedLength = pass == Pass.BackwardKernel ? parts * (g.KernelLength + g.OutChannels)
            : g.Groups > 1 || small ? g.KernelLength : 0;
        float[] shared = ArrayPool<float>.Shared.Rent(Math.Max(sharedLength, 1));
        try
        {
            fixed (float* s = shared)
            {
                plan.Shared = s;
                if (g.Groups > 1 && pass != Pass.BackwardKernel) Regroup(job.Kernel, s, g, toGrouped: true, add: false);
                if (small) Transpose(job.Kernel, s, g.PatchSize, g.OutChannels);
                Convolution.RunParts(parts, plan.RunPart);
                if (pass == Pass.BackwardKernel) plan.ReduceKernelGradient();
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(shared);
        }
    }

    /// <summary>dst = srcᵀ for a rows × cols src.</summary>
    private static void Transpose(float* src, float* dst, int rows, int cols)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                dst[(long)j * rows + i] = src[(long)i * cols + j];
    }

    /// <summary>Converts between the HWIO kernel [kcg, filters] and the grouped layout [groups][kcg][filters/groups].</summary>
    private static void Regroup(float* kernel, float* grouped, in Conv2DGeometry g, bool toGrouped, bool add)
    {
        int k = g.PatchSize, f = g.OutChannels, fg = g.OutGroupChannels;
        for (int grp = 0; grp < g.Groups; grp++)
            for (int p = 0; p < k; p++)
            {
                float* hwio = kernel + (long)p * f + grp * fg, block = grouped + ((long)grp * k + p) * fg;
                if (toGrouped) ConvolutionRowOps.Copy(hwio, block, fg);
                else if (add) ConvolutionRowOps.Add(hwio, block, fg);
                else ConvolutionRowOps.Copy(block, hwio, fg);
            }
    }

    /// <summary>Everything one call's parts share; a class so the part body can be one cached delegate per call.</summary>
    private sealed class Plan(Pass pass, ConvolutionJob job, int parts, int unit, bool accumulate, bool small)
    {
        /// <summary>The regrouped or transposed kernel (forward and input gradient), or each part's kernel and bias gradient.</summary>
        public float* Shared;

        /// <summary>Where a part accumulates its kernel gradient, in the grouped layout.</summary>
        private float* KernelGradient(int part) => Shared + (long)part * job.G.KernelLength;

        private float* BiasGradient(int part) => Shared + (long)parts * job.G.KernelLength + (long)part * job.G.OutChannels;

        public void RunPart(int part)
        {
            var g = job.G;
            var (r0, r1) = Convolution.Slice(part, parts, g.OutPixels, unit);
            int cg = g.InGroupChannels, fg = g.OutGroupChannels, f = g.OutChannels, k = g.PatchSize;
            bool grouped = g.Groups > 1;
            int gemmThreads = parts > 1 ? 1 : job.Threads;
            float* weights = grouped ? Shared : job.Kernel;
            if (pass == Pass.BackwardInput && !accumulate)
                new Span<float>(job.Input + (long)r0 / unit * g.InHeight * g.InWidth * g.InChannels,
                    (r1 - r0) / unit * g.InHeight * g.InWidth * g.InChannels).Clear();
            if (pass == Pass.BackwardKernel)
            {
                new Span<float>(KernelGradient(part), g.KernelLength).Clear();
                if (job.Bias != null) new Span<float>(BiasGradient(part), f).Clear();
            }
            if (r1 <= r0) return;

            // The unpacked kernel's chunk of patches stays in L1 (32 KiB); the packed GEMM wants enough rows to amortise packing.
            int chunk = Math.Min(r1 - r0, small ? Math.Max(8192 / k, 6) : Math.Max(Convolution.ScratchFloats / k, Convolution.MinChunkRows));
            float[] scratch = ArrayPool<float>.Shared.Rent(chunk * k + (grouped ? chunk * fg : 0));
            try
            {
                fixed (float* col = scratch)
                {
                    float* groupRows = col + (long)chunk * k; // [chunk, fg] output or dOutput columns of one group
                    for (int r = r0; r < r1; r += chunk)
                    {
                        int re = Math.Min(r1, r + chunk), n = re - r;
                        float* dy = job.Output + (long)r * f;
                        for (int grp = 0; grp < g.Groups; grp++)
                        {
                            float* w = weights + (long)grp * k * fg;
                            switch (pass)
                            {
                                case Pass.Forward: // grouped only: one group runs in ConvolutionPacked or ConvolutionShallow
                                    ConvolutionIm2Col.Im2Col(job.Input, col, g, r, re, grp * cg, cg);
                                    Multiply(false, false, n, fg, k, col, w, groupRows, false, gemmThreads);
                                    for (int i = 0; i < n; i++) ConvolutionRowOps.Copy(groupRows + (long)i * fg, dy + (long)i * f + grp * fg, fg);
                                    break;
                                case Pass.BackwardInput:
                                    if (small)
                                        ConvolutionSmallGemm.Multiply(n, k, f, dy, new ConvolutionSmallGemm.Stride(f), new ConvolutionSmallGemm.Stride(1), Shared, k, col, k, null, false);
                                    else Multiply(false, true, n, k, fg, GroupColumns(dy, groupRows, n, f, fg, grp), w, col, false, gemmThreads);
                                    ConvolutionIm2Col.Col2Im(col, job.Input, g, r, re, grp * cg, cg);
                                    break;
                                case Pass.BackwardKernel:
                                    ConvolutionIm2Col.Im2Col(job.Input, col, g, r, re, grp * cg, cg);
                                    Multiply(true, false, k, fg, n, col, GroupColumns(dy, groupRows, n, f, fg, grp),
                                        KernelGradient(part) + (long)grp * k * fg, true, gemmThreads);
                                    break;
                            }
                        }
                        if (pass == Pass.Forward && job.Bias != null)
                            for (int i = 0; i < n; i++) ConvolutionRowOps.Add(dy + (long)i * f, job.Bias, f);
                        if (pass == Pass.BackwardKernel && job.Bias != null)
                            Convolution.SumRows(dy, BiasGradient(part), 0, n, f);
                    }
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(scratch);
            }
        }

        /// <summary>Sums the parts' kernel and bias gradients into the caller's.</summary>
        public void ReduceKernelGradient()
        {
            var g = job.G;
            int length = g.KernelLength, f = g.OutChannels;
            for (int part = 1; part < parts; part++) ConvolutionRowOps.Add(KernelGradient(0), KernelGradient(part), length);
            Regroup(job.Kernel, KernelGradient(0), g, toGrouped: false, add: accumulate);
            if (job.Bias == null) return;
            if (!accumulate) new Span<float>(job.Bias, f).Clear();
            for (int part = 0; part < parts; part++) ConvolutionRowOps.Add(job.Bias, BiasGradient(part), f);
        }

        /// <summary>Rows of dOutput restricted to one group's columns: in place with one group, else copied into <paramref name="buffer"/>.</summary>
        private float* GroupColumns(float* dy, float* buffer, int n, int f, int fg, int grp)
        {
            if (fg == f) return dy;
            for (int i = 0; i < n; i++) ConvolutionRowOps.Copy(dy + (long)i * f + grp * fg, buffer + (long)i * fg, fg);
            return buffer;
        }
    }

    private static void Multiply(bool transA, bool transB, int m, int n, int k, float* a, float* b, float* c, bool accumulate, int threads) =>
        Gemm.Multiply(transA, transB, m, n, k, new ReadOnlySpan<float>(a, m * k), new ReadOnlySpan<float>(b, k * n),
            new Span<float>(c, m * n), accumulate, GemmPath.Auto, threads);
}
