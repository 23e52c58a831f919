using Nerva.Kernels;
using TorchSharp;

namespace Nerva.Benchmarks;

/// <summary>
/// The three convolutions of the Keras MNIST CNN at batch 64, Nerva's kernels (NHWC, HWIO) against
/// TorchSharp's conv2d as its users call it (NCHW, OIHW; autograd for the gradients), on the same data.
/// </summary>
internal static class ConvBenchmark
{
    public static void Run(double secondsPerLibrary = 1.5)
    {
        int threads = Environment.ProcessorCount;
        torch.set_num_threads(threads);
        Console.WriteLine();
        Console.WriteLine($"Conv2D, fp32, batch 64, {threads} threads, 'valid' 3×3 kernels with bias; median of alternating slices, ~{secondsPerLibrary} s per library per row");
        Console.WriteLine("Nerva: Convolution.Forward / BackwardInput / BackwardKernel(+bias) on NHWC spans into preallocated outputs.");
        Console.WriteLine("Torch: functional.conv2d on NCHW tensors (forward allocates y); fwd+bwd = conv2d + autograd.grad for x, w, b.");
        Console.WriteLine($"{"layer",-30} | {"pass",-11} | {"Nerva",10} {"GFLOP/s",8} | {"Torch",10} {"GFLOP/s",8} | {"time N/T",8}");
        Console.WriteLine(new string('-', 100));
        foreach (var (label, h, c, f) in new[] { ("Conv2D(1→32) on 28×28", 28, 1, 32), ("Conv2D(32→64) on 13×13", 13, 32, 64), ("Conv2D(64→64) on 5×5", 5, 64, 64) })
            Compare(label, Conv2DGeometry.Create(64, h, h, c, f, 3, 3), secondsPerLibrary, firstLayer: c == 1);
        Console.WriteLine("fwd+bwd w,b: no input gradient, as for a network's first layer (the images need none).");
    }

    private static void Compare(string label, Conv2DGeometry g, double seconds, bool firstLayer)
    {
        var random = new Random(g.InChannels * 100 + g.InHeight);
        float[] Random(int n) => Enumerable.Range(0, n).Select(_ => random.NextSingle() - 0.5f).ToArray();
        var (x, w, b, dy) = (Random(g.InputLength), Random(g.KernelLength), Random(g.OutChannels), Random(g.OutputLength));
        var (y, dx, dw, db) = (new float[g.OutputLength], new float[g.InputLength], new float[g.KernelLength], new float[g.OutChannels]);

        // The same numbers in PyTorch's layouts: NHWC → NCHW, HWIO → OIHW.
        using var tx = torch.tensor(x, [g.Batch, g.InHeight, g.InWidth, g.InChannels]).permute(0, 3, 1, 2).contiguous().requires_grad_(true);
        using var tw = torch.tensor(w, [g.KernelHeight, g.KernelWidth, g.InChannels, g.OutChannels]).permute(3, 2, 0, 1).contiguous().requires_grad_(true);
        using var tb = torch.tensor(b, [g.OutChannels]).requires_grad_(true);
        using var tdy = torch.tensor(dy, [g.Batch, g.OutHeight, g.OutWidth, g.OutChannels]).permute(0, 3, 1, 2).contiguous();

        void NervaForward() => Convolution.Forward(x, w, b, y, g);
        void NervaTraining()
        {
            Convolution.Forward(x, w, b, y, g);
            Convolution.BackwardInput(dy, w, dx, g);
            Convolution.BackwardKernel(x, dy, dw, db, g);
        }
        void TorchForward()
        {
            using var scope = torch.NewDisposeScope();
            using var _ = torch.no_grad();
            torch.nn.functional.conv2d(tx, tw, tb);
        }
        void TorchTraining()
        {
            using var scope = torch.NewDisposeScope();
            var ty = torch.nn.functional.conv2d(tx, tw, tb);
            torch.autograd.grad([ty], [tx, tw, tb], [tdy]);
        }

        void NervaKernelOnly()
        {
            Convolution.Forward(x, w, b, y, g);
            Convolution.BackwardKernel(x, dy, dw, db, g);
        }
        void TorchKernelOnly()
        {
            using var scope = torch.NewDisposeScope();
            var ty = torch.nn.functional.conv2d(tx, tw, tb);
            torch.autograd.grad([ty], [tw, tb], [tdy]);
        }

        double flops = 2.0 * g.OutPixels * g.PatchSize * g.OutChannels;
        int batch = Math.Max(1, (int)(2e7 / flops));
        var forward = Measure.Alternating(seconds, batch, NervaForward, TorchForward);
        var training = Measure.Alternating(seconds, batch, NervaTraining, TorchTraining);
        Print(label, "fwd", flops, forward);
        Print("", "fwd+bwd", 3 * flops, training);
        if (firstLayer) Print("", "fwd+bwd w,b", 2 * flops, Measure.Alternating(seconds, batch, NervaKernelOnly, TorchKernelOnly));
        CheckAgreement(label, g, tx, tw, tb, tdy, y, dx, dw, db);
    }

    private static void Print(string label, string pass, double flops, double[] t) =>
        Console.WriteLine($"{label,-30} | {pass,-11} | {Measure.Time(t[0]),10} {flops / t[0] / 1e9,8:F1} | {Measure.Time(t[1]),10} {flops / t[1] / 1e9,8:F1} | {t[0] / t[1],8:F2}");

    /// <summary>Guards the figures: a fast wrong answer would be worthless.</summary>
    private static void CheckAgreement(string label, Conv2DGeometry g, torch.Tensor tx, torch.Tensor tw, torch.Tensor tb, torch.Tensor tdy,
        float[] y, float[] dx, float[] dw, float[] db)
    {
        using var scope = torch.NewDisposeScope();
        var ty = torch.nn.functional.conv2d(tx, tw, tb);
        var grads = torch.autograd.grad([ty], [tx, tw, tb], [tdy]);
        Compare("y", y, ty.permute(0, 2, 3, 1));
        Compare("dx", dx, grads[0].permute(0, 2, 3, 1));
        Compare("dw", dw, grads[1].permute(2, 3, 1, 0));
        Compare("db", db, grads[2]);

        void Compare(string what, float[] nerva, torch.Tensor expected)
        {
            var e = expected.contiguous().data<float>().ToArray();
            double worst = 0;
            for (int i = 0; i < nerva.Length; i++) worst = Math.Max(worst, Math.Abs(nerva[i] - e[i]) / (1 + Math.Abs(e[i])));
            if (worst > 1e-3) Console.WriteLine($"WARNING {label} {what}: Nerva and TorchSharp differ by {worst:G3} (relative)");
        }
    }
}
