using TorchSharp;

namespace Nerva.Benchmarks;

/// <summary>
/// Per-call overhead: adding two 100-element tensors, where dispatch and allocation dominate and
/// arithmetic is negligible. With RequiresGrad the op also records its backward.
/// </summary>
internal static class SmallOpBenchmark
{
    public static void Run(double secondsPerLibrary = 1.0)
    {
        var f = Compare(secondsPerLibrary);
        Console.WriteLine();
        Console.WriteLine("Per-call time of a + b on 100-element float32 tensors (median of batches of 1000)");
        Console.WriteLine($"{"case",-22} | {"Nerva",10} | {"TorchSharp",10} | {"time N/T",8}");
        Console.WriteLine(new string('-', 60));
        foreach (var (label, t) in new[] { ("no grad", f.NoGrad), ("requires grad", f.RequiresGrad) })
            Console.WriteLine($"{label,-22} | {Measure.Time(t.Nerva),10} | {Measure.Time(t.Torch),10} | {t.Ratio,8:F2}");
    }

    public static SmallOpFigures Compare(double secondsPerLibrary)
    {
        var random = new Random(100);
        var x = Enumerable.Range(0, 100).Select(_ => random.NextSingle()).ToArray();
        var y = Enumerable.Range(0, 100).Select(_ => random.NextSingle()).ToArray();
        var times = new Timing[2];
        var bytes = new double[2];
        foreach (bool grad in new[] { false, true })
        {
            var a = Tensor.FromArray(x, 100);
            var b = Tensor.FromArray(y, 100);
            a.RequiresGrad = grad;
            b.RequiresGrad = grad;
            using var ta = torch.tensor(x, requires_grad: grad);
            using var tb = torch.tensor(y, requires_grad: grad);
            var t = Measure.Alternating(secondsPerLibrary, 1000,
                () => _ = a + b,
                // Dispose as a TorchSharp user would in a loop; otherwise native memory piles up
                // until finalizers run.
                () => { using var sum = ta + tb; });
            times[grad ? 1 : 0] = new Timing(t[0], t[1]);
            bytes[grad ? 1 : 0] = Measure.AllocatedPerCall(() => _ = a + b, 1000);
        }
        return new SmallOpFigures(times[0], times[1], bytes[0], bytes[1]);
    }
}
