using Nerva.Kernels;
using TorchSharp;

namespace Nerva.Benchmarks;

/// <summary>
/// Float32 GEMM, Nerva's packed kernel against libtorch on the same data: square sizes, then the
/// three products of a Dense layer's training step (forward, and the two backward products that
/// read an operand transposed).
/// </summary>
internal static class GemmBenchmark
{
    public static readonly int[] SquareSizes = [256, 512, 1024, 2048];

    /// <summary>Runs and prints the table on <paramref name="threads"/> threads (0: all cores) for both libraries.</summary>
    public static void Run(int threads = 0, double secondsPerLibrary = 1.5)
    {
        threads = threads > 0 ? threads : Environment.ProcessorCount;
        torch.set_num_threads(threads);
        Console.WriteLine();
        Console.WriteLine($"fp32 GEMM, {threads} threads (torch.get_num_threads() = {torch.get_num_threads()}), " +
            $"median of alternating slices, ~{secondsPerLibrary} s per library per row");
        Console.WriteLine("Torch addmm_ = C.addmm_(A, B, beta: 0), GEMM into an existing tensor like Gemm.Multiply; Torch matmul also allocates C.");
        var rows = SquareSizes.Select(n => Square(n, threads, secondsPerLibrary)).ToList();
        // Dense(784 → 256) on a batch of 128: Y = X·W, dW = Xᵀ·dY, dX = dY·Wᵀ.
        rows.Add(Compare("dense fwd X·W 128×256×784", 128, 256, 784, false, false, threads, secondsPerLibrary));
        rows.Add(Compare("dense dW Xᵀ·dY 784×256×128", 784, 256, 128, true, false, threads, secondsPerLibrary));
        rows.Add(Compare("dense dX dY·Wᵀ 128×784×256", 128, 784, 256, false, true, threads, secondsPerLibrary));
        // Peak again after the GEMMs: the better of the two is the one other load disturbed less.
        PeakBenchmark.Run(quiet: true);
        double peak = PeakBenchmark.For(threads);
        Console.WriteLine($"{"shape m×n×k",-26} | {"Nerva",10} {"GFLOP/s",8} | {"Torch addmm_",12} {"GFLOP/s",8} | {"time N/T",8} | {"Torch matmul",12} {"GFLOP/s",8} | {"Nerva % peak",12}");
        Console.WriteLine(new string('-', 128));
        foreach (var r in rows)
        {
            string ofPeak = peak > 0 ? $"{100 * r.NervaGflops / peak,11:F0}%" : "n/a";
            Console.WriteLine($"{r.Label,-26} | {Measure.Time(r.Nerva),10} {r.NervaGflops,8:F1} | {Measure.Time(r.Addmm),12} {r.AddmmGflops,8:F1} | " +
                $"{r.Timing.Ratio,8:F2} | {Measure.Time(r.Matmul),12} {r.MatmulGflops,8:F1} | {ofPeak,12}");
        }
        Console.WriteLine($"(% peak is of the {threads}-thread FMA peak, best measured before and after: {peak:F1} GFLOP/s)");
    }

    /// <summary>C = A·B of n×n matrices; Nerva on <paramref name="threads"/> threads, Torch on whatever torch.set_num_threads last set.</summary>
    public static GemmFigures Square(int n, int threads, double secondsPerLibrary) =>
        Compare($"{n}³", n, n, n, false, false, threads, secondsPerLibrary);

    private static GemmFigures Compare(string label, int m, int n, int k, bool transA, bool transB, int threads, double seconds)
    {
        var random = new Random(m * 7 + n * 3 + k);
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        for (int i = 0; i < a.Length; i++) a[i] = random.NextSingle() - 0.5f;
        for (int i = 0; i < b.Length; i++) b[i] = random.NextSingle() - 0.5f;
        // Same storage as Nerva's operands; a transposed operand is a transposed view, as in PyTorch.
        using var storedA = torch.tensor(a, transA ? [k, m] : [m, k]);
        using var storedB = torch.tensor(b, transB ? [n, k] : [k, n]);
        using var ta = transA ? storedA.t() : storedA.alias();
        using var tb = transB ? storedB.t() : storedB.alias();
        using var tc = torch.empty([m, n]);
        double flops = 2.0 * m * n * k;
        int batch = Math.Max(1, (int)(2e8 / flops)); // keep a sample well above timer resolution
        var times = Measure.Alternating(seconds, batch,
            () => Gemm.Multiply(transA, transB, m, n, k, a, b, c, accumulate: false, GemmPath.Auto, threads),
            () => tc.addmm_(ta, tb, beta: 0, alpha: 1),
            () => { using var product = torch.matmul(ta, tb); });
        CheckAgreement(label, c, tc);
        return new GemmFigures(label, flops, times[0], times[1], times[2]);
    }

    /// <summary>Guards the figures: a fast wrong answer would be worthless.</summary>
    private static void CheckAgreement(string label, float[] nerva, torch.Tensor torchResult)
    {
        var expected = torchResult.data<float>().ToArray();
        double worst = 0;
        for (int i = 0; i < nerva.Length; i++)
            worst = Math.Max(worst, Math.Abs(nerva[i] - expected[i]) / (1 + Math.Abs(expected[i])));
        if (worst > 1e-3) Console.WriteLine($"WARNING {label}: Nerva and TorchSharp differ by {worst:G3} (relative)");
    }
}
