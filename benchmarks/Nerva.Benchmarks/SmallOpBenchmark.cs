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
        var random = new Random(100);
        var x = Enumerable.Range(0, 100).Select(_ => random.NextSingle()).ToArray();
        var y = Enumerable.Range(0, 100).Select(_ => random.NextSingle()).ToArray();
        Console.WriteLine();
        Console.WriteLine("Per-call time of a + b on 100-element float32 tensors (median of batches of 1000)");
        Console.WriteLine($"{"case",-22} | {"Nerva",10} | {"TorchSharp",10} | {"time N/T",8}");
        Console.WriteLine(new string('-', 60));
        foreach (bool grad in new[] { false, true })
        {
            var a = Tensor.FromArray(x, 100);
            var b = Tensor.FromArray(y, 100);
            a.RequiresGrad = grad;
            b.RequiresGrad = grad;
            using var ta = torch.tensor(x, requires_grad: grad);
            using var tb = torch.tensor(y, requires_grad: grad);
            var times = Measure.Alternating(secondsPerLibrary, 1000,
                () => _ = a + b,
                // Dispose as a TorchSharp user would in a loop; otherwise native memory piles up
                // until finalizers run.
                () => { using var sum = ta + tb; });
            string label = grad ? "requires grad" : "no grad";
            Console.WriteLine($"{label,-22} | {Measure.Time(times[0]),10} | {Measure.Time(times[1]),10} | {times[0] / times[1],8:F2}");
        }
    }
}
