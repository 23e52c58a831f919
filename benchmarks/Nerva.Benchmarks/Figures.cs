namespace Nerva.Benchmarks;

// What each workload returns: medians to print in its own table or gather into the scoreboard.

/// <summary>Seconds per unit of work (a call, a step, an epoch) in each library.</summary>
internal readonly record struct Timing(double Nerva, double Torch)
{
    /// <summary>Nerva's time over TorchSharp's for the same work: below 1 Nerva is faster.</summary>
    public double Ratio => Nerva / Torch;
}

/// <summary>A metric both trained models are scored on afterwards, so a fast run that learns less cannot pass unnoticed.</summary>
internal sealed record QualityCheck(string Metric, float Nerva, float Torch);

/// <summary>A training workload: seconds per unit, Nerva's managed allocation per step after warm-up, the data it ran on.</summary>
internal sealed record TrainingFigures(Timing Time, double NervaBytesPerStep, string Data, QualityCheck? Quality = null);

/// <summary>One GEMM shape: its flops and the median seconds per call of Nerva, Torch addmm_ and Torch matmul.</summary>
internal readonly record struct GemmFigures(string Label, double Flops, double Nerva, double Addmm, double Matmul)
{
    /// <summary>Nerva against addmm_, the like-for-like Torch call (GEMM into an existing tensor).</summary>
    public Timing Timing => new(Nerva, Addmm);

    public double NervaGflops => Flops / Nerva / 1e9;
    public double AddmmGflops => Flops / Addmm / 1e9;
    public double MatmulGflops => Flops / Matmul / 1e9;
}

/// <summary>Per-call time of a + b on 100 floats, and Nerva's bytes allocated per call, without and with autograd recording.</summary>
internal sealed record SmallOpFigures(Timing NoGrad, Timing RequiresGrad, double NoGradBytes, double RequiresGradBytes);

/// <summary>
/// The MnistCnn workloads: training seconds per 60,000-image epoch (timed over <paramref name="TrainSteps"/>
/// steps), inference seconds per call at batch 1 and 256 with Nerva's bytes allocated per call, and memory.
/// </summary>
internal sealed record CnnFigures(TrainingFigures Training, int TrainSteps, Timing Latency, Timing Batch256,
    double LatencyBytes, double Batch256Bytes, long NervaTrainingBytes, long PeakWorkingSetBytes);

/// <summary>
/// Both libraries at one thread count: GEMM 1024³ and one MnistCnn training step (batch 64), and the
/// cores each actually kept busy during the step (process CPU time over wall time).
/// </summary>
internal sealed record ScalingFigures(int Threads, GemmFigures Gemm, Timing CnnStep, double NervaCores, double TorchCores);
