using System.Diagnostics;
using TorchSharp;

namespace Nerva.Benchmarks;

/// <summary>
/// Issue 6's scoreboard: every workload, Nerva and TorchSharp alternating on the same data and
/// hyperparameters in this one process, gathered into one table. `all` measures as the individual
/// modes do; `quick` measures less of each (fewer rounds and steps, shorter slices, two GEMM sizes).
/// </summary>
internal static class Scoreboard
{
    /// <summary>How much of each workload to measure.</summary>
    private sealed record Budget(string Name, int[] GemmSizes, double SliceSeconds, int EpochRounds, int CnnSteps, double ShortSeconds);

    private static readonly Budget All = new("all", GemmBenchmark.SquareSizes, SliceSeconds: 1.5, EpochRounds: 5, CnnSteps: 300, ShortSeconds: 1.0);
    private static readonly Budget Quick = new("quick", [512, 1024], SliceSeconds: 0.4, EpochRounds: 2, CnnSteps: 60, ShortSeconds: 0.3);

    /// <summary>One line of the table, already formatted; "–" where a column does not apply.</summary>
    internal sealed record Line(string Workload, string Nerva, string Torch, string Ratio, string Allocation);

    public static void Run(bool quick)
    {
        var budget = quick ? Quick : All;
        int cores = Environment.ProcessorCount;
        string loadBefore = LoadAverage();
        torch.set_num_threads(cores);
        var clock = Stopwatch.StartNew();
        T Measured<T>(string what, Func<T> measure)
        {
            var figures = measure();
            Console.WriteLine($"[{clock.Elapsed.TotalSeconds,4:F0} s] measured {what} (load average {LoadAverage()})");
            return figures;
        }

        // The peak at the start, after the GEMMs and at the end, best kept: the one other load disturbed least.
        PeakBenchmark.Run(quiet: true);
        var gemm = Measured("GEMM", () => budget.GemmSizes.Select(n => GemmBenchmark.Square(n, cores, budget.SliceSeconds)).ToList());
        PeakBenchmark.Run(quiet: true);
        var iris = Measured("Iris MLP", () => MlpBenchmark.CompareIris(budget.EpochRounds));
        var mlp = Measured("Fashion-MNIST MLP", () => MlpBenchmark.CompareFashionMnist(budget.EpochRounds));
        var cnn = Measured("MnistCnn training and inference", () => CnnBenchmark.Compare(budget.CnnSteps, budget.EpochRounds, budget.ShortSeconds));
        var lstm = Measured("LSTM", () => LstmBenchmark.Compare(budget.SliceSeconds));
        var autoencoder = Measured("autoencoder", () => AutoencoderBenchmark.Compare(budget.EpochRounds));
        var smallOp = Measured("small op", () => SmallOpBenchmark.Compare(budget.ShortSeconds));
        var scaling = Measured("scaling", () => ScalingBenchmark.Compare(budget.SliceSeconds));
        var userLoop = Measured("user loops", () => UserLoopBenchmark.Compare(quick ? UserLoopBenchmark.Quick : UserLoopBenchmark.Full));
        PeakBenchmark.Run(quiet: true);

        var lines = new List<Line>();
        foreach (var g in gemm)
            lines.Add(new($"1 GEMM fp32 {g.Label}, {cores} threads: GFLOP/s", Gflops(g, cores), $"{g.AddmmGflops:F0}", Ratio(g.Timing), "–"));
        lines.Add(Training("2 Iris MLP 4-10-3, batch 16, Adam: 100 epochs", iris));
        lines.Add(Training("3 MLP 784-128-64-10, batch 64, Adam: epoch", mlp));
        lines.Add(Training($"4 MnistCnn training, batch 64: epoch ({cnn.TrainSteps} steps, scaled)", cnn.Training));
        lines.Add(Training($"5 {LstmBenchmark.Workload}: step", lstm));
        lines.Add(Training("6 Autoencoder 784-128-32-128-784, batch 128, Adam, MSE: epoch", autoencoder));
        lines.Add(new("7 MnistCnn inference, batch 1: latency", Measure.Time(cnn.Latency.Nerva), Measure.Time(cnn.Latency.Torch),
            Ratio(cnn.Latency), $"{Measure.Bytes(cnn.LatencyBytes)}/call"));
        lines.Add(new("7 MnistCnn inference, batch 256: images/s", $"{256 / cnn.Batch256.Nerva:F0}", $"{256 / cnn.Batch256.Torch:F0}",
            Ratio(cnn.Batch256), $"{Measure.Bytes(cnn.Batch256Bytes)}/call"));
        lines.Add(SmallOp("8 a + b, 100 floats, no grad: per op", smallOp.NoGrad, smallOp.NoGradBytes));
        lines.Add(SmallOp("8 a + b, 100 floats, requires grad: per op", smallOp.RequiresGrad, smallOp.RequiresGradBytes));
        foreach (var s in scaling)
            lines.Add(new($"9 GEMM fp32 1024³, {Threads(s.Threads)}: GFLOP/s", Gflops(s.Gemm, s.Threads), $"{s.Gemm.AddmmGflops:F0}", Ratio(s.Gemm.Timing), "–"));
        foreach (var s in scaling)
            lines.Add(new($"9 MnistCnn training step, batch 64, {Threads(s.Threads)}", Measure.Time(s.CnnStep.Nerva), Measure.Time(s.CnnStep.Torch), Ratio(s.CnnStep), "–"));
        var (one, all) = (scaling[0], scaling[^1]);
        lines.Add(new($"9 speedup 1 → {cores} threads: GEMM 1024³", $"{one.Gemm.Nerva / all.Gemm.Nerva:F2}×", $"{one.Gemm.Addmm / all.Gemm.Addmm:F2}×", "–", "–"));
        lines.Add(new($"9 speedup 1 → {cores} threads: MnistCnn training step", $"{one.CnnStep.Nerva / all.CnnStep.Nerva:F2}×", $"{one.CnnStep.Torch / all.CnnStep.Torch:F2}×", "–", "–"));
        lines.AddRange(UserLoopBenchmark.Lines(userLoop));

        Console.WriteLine();
        Console.WriteLine($"Scoreboard ({budget.Name}): Nerva against TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)}, " +
            $"{cores} threads unless stated, measured in {clock.Elapsed.TotalMinutes:F1} min; load average {loadBefore} before, {LoadAverage()} after");
        PrintTable(lines);

        Console.WriteLine();
        Console.WriteLine("N/T: Nerva's time over TorchSharp's for the same work; for GFLOP/s and images/s rows, TorchSharp's rate over Nerva's. Below 1 Nerva is faster.");
        Console.WriteLine($"% of peak: of this machine's measured fp32 FMA peak, {PeakBenchmark.SingleThread:F0} GFLOP/s on 1 thread, {PeakBenchmark.AllThreads:F0} on {cores}. " +
            "TorchSharp GEMM is C.addmm_(A, B, beta: 0), into an existing tensor like Nerva's.");
        Console.WriteLine($"Training: Nerva Sequential.Fit against the TorchSharp loop (randperm, index_select, forward, loss, backward, Adam step, a dispose scope per batch); " +
            $"warm-up rounds (≥ 1 s), then {budget.EpochRounds} alternating rounds, medians. Data: {mlp.Data}.");
        Console.WriteLine("Nerva alloc: managed bytes allocated per training step (TrainOnBatch on one batch, after warm-up) or per call. " +
            "libtorch runs with glibc's malloc thresholds fixed (the line at the top), which keeps its figures steady.");
        foreach (var q in new[] { mlp.Quality, autoencoder.Quality }.OfType<QualityCheck>())
            Console.WriteLine($"Learned alike: {q.Metric}, Nerva {q.Nerva:F4}, TorchSharp {q.Torch:F4}.");
        Console.WriteLine($"Memory: Nerva holds {Measure.Bytes(cnn.NervaTrainingBytes)} to train MnistCnn at batch 64 (weights, gradients, " +
            $"Adam's moments, and the tensor pool's arrays right after a step); the process peaked at {Measure.Bytes(cnn.PeakWorkingSetBytes)} with both libraries and the data.");
        Console.WriteLine($"Threads: cores kept busy during the CnnStep (CPU time / wall): " +
            string.Join("; ", scaling.Select(s => $"{Threads(s.Threads)} Nerva {s.NervaCores:F2}, TorchSharp {s.TorchCores:F2}")) +
            ". Nerva at 1 thread: Parallelism.MaxThreads = 1; TorchSharp: torch.set_num_threads.");
        foreach (var note in UserLoopBenchmark.Notes(userLoop))
            Console.WriteLine(note);
        Console.WriteLine("Load average: runnable threads on the machine over the last minute (this process adds up to its thread count); " +
            $"above {cores} the libraries competed with other work for the cores, and figures are less reliable.");
    }

    /// <summary>The table: workload, Nerva, TorchSharp, N/T, Nerva's allocation.</summary>
    internal static void PrintTable(IReadOnlyList<Line> lines)
    {
        int width = lines.Max(l => l.Workload.Length), nervaWidth = Math.Max(22, lines.Max(l => l.Nerva.Length));
        Console.WriteLine($"{"workload".PadRight(width)} | {"Nerva".PadRight(nervaWidth)} | {"TorchSharp",-15} | {"N/T",5} | Nerva alloc");
        Console.WriteLine(new string('-', width + nervaWidth + 52));
        foreach (var l in lines)
            Console.WriteLine($"{l.Workload.PadRight(width)} | {l.Nerva.PadRight(nervaWidth)} | {l.Torch,-15} | {l.Ratio,5} | {l.Allocation}");
    }

    /// <summary>The 1-minute load average, or "n/a" off Linux.</summary>
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    private static string Threads(int threads) => threads == 1 ? "1 thread" : $"{threads} threads";

    private static string Ratio(Timing t) => $"{t.Ratio:F2}";

    private static string Gflops(GemmFigures g, int threads) => PeakBenchmark.For(threads) > 0
        ? $"{g.NervaGflops:F0} ({100 * g.NervaGflops / PeakBenchmark.For(threads):F0}% of peak)"
        : $"{g.NervaGflops:F0}";

    private static Line Training(string workload, TrainingFigures f) =>
        new(FashionMnistData.Synthetic && f.Data == FashionMnistData.Description ? $"{workload} [{f.Data}]" : workload,
            Measure.Time(f.Time.Nerva), Measure.Time(f.Time.Torch), Ratio(f.Time), $"{Measure.Bytes(f.NervaBytesPerStep)}/step");

    private static Line SmallOp(string workload, Timing t, double bytes) =>
        new(workload, Measure.Time(t.Nerva), Measure.Time(t.Torch), Ratio(t), $"{bytes:F0} B/call");
}
