using Nerva.Kernels;
using TorchSharp;

namespace Nerva.Benchmarks;

/// <summary>
/// How both libraries scale from one thread to all cores: GEMM 1024³ and one MnistCnn training step
/// (batch 64, a fixed batch, so only the step is timed). At one thread it also measures the cores
/// each library actually kept busy, so a thread limit that leaks shows up rather than flatters.
/// </summary>
internal static class ScalingBenchmark
{
    public static void Run(double secondsPerLibrary = 1.5)
    {
        Console.WriteLine();
        Console.WriteLine($"Scaling, median of alternating slices, ~{secondsPerLibrary} s per library per row");
        Console.WriteLine($"{"threads",7} | {"GEMM 1024³ Nerva",17} {"Torch",9} {"N/T",5} | {"CNN step Nerva",15} {"Torch",9} {"N/T",5} | {"cores used N/T",14}");
        Console.WriteLine(new string('-', 96));
        foreach (var f in Compare(secondsPerLibrary))
            Console.WriteLine($"{f.Threads,7} | {Measure.Time(f.Gemm.Nerva),17} {Measure.Time(f.Gemm.Addmm),9} {f.Gemm.Timing.Ratio,5:F2} | " +
                $"{Measure.Time(f.CnnStep.Nerva),15} {Measure.Time(f.CnnStep.Torch),9} {f.CnnStep.Ratio,5:F2} | {f.NervaCores,6:F2} / {f.TorchCores,-6:F2}");
    }

    /// <summary>Both libraries at 1 thread, then at all cores (where both are left afterwards).</summary>
    public static IReadOnlyList<ScalingFigures> Compare(double secondsPerLibrary)
    {
        var (images, labels) = FashionMnistData.Train;
        var cnn = new MnistCnn();
        var x = images.Narrow(0, 0, 64);
        var y = labels.Narrow(0, 0, 64);
        using var tx = MnistCnn.TorchImages(x);
        using var ty = MnistCnn.TorchLabels(y);
        void NervaStep() => cnn.NervaModel.TrainOnBatch(x, y);
        void TorchStep() => cnn.TorchStep(tx, ty);

        ScalingFigures At(int threads)
        {
            torch.set_num_threads(threads);
            var gemm = GemmBenchmark.Square(1024, threads, secondsPerLibrary);
            double nervaCores = Measure.CoresUsed(NervaStep, 0.3), torchCores = Measure.CoresUsed(TorchStep, 0.3);
            var step = Measure.Alternating(secondsPerLibrary, 1, NervaStep, TorchStep);
            return new ScalingFigures(threads, gemm, new Timing(step[0], step[1]), nervaCores, torchCores);
        }

        ScalingFigures single;
        int previous = Parallelism.MaxThreads;
        Parallelism.MaxThreads = 1; // caps every Nerva kernel, products included
        try
        {
            single = At(1);
        }
        finally
        {
            Parallelism.MaxThreads = previous;
        }
        return [single, At(Environment.ProcessorCount)];
    }
}
