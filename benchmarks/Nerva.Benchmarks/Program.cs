namespace Nerva.Benchmarks;

/// <summary>
/// Nerva against TorchSharp (libtorch) on this machine. Each workload times both libraries
/// alternately in one process, so background load hits them alike; figures are medians.
/// `all` runs every workload and ends with one table (the scoreboard); `quick` does the same in less time.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string workload = args.Length > 0 ? args[0] : "gemm";
        // Hidden: a fresh process for one peak-memory figure of the userloop workload.
        if (PeakRss.IsChild(workload)) return PeakRss.Child(workload);
        Console.WriteLine(MachineInfo.Describe());
        Console.WriteLine(NativeAllocator.Steady());
        switch (workload)
        {
            case "gemm":
                PeakBenchmark.Run();
                GemmBenchmark.Run();
                SmallOpBenchmark.Run();
                return 0;
            case "gemm1":
                PeakBenchmark.Run();
                GemmBenchmark.Run(threads: 1);
                return 0;
            case "peak":
                PeakBenchmark.Run();
                return 0;
            case "small":
                SmallOpBenchmark.Run();
                return 0;
            case "mlp":
                MlpBenchmark.Run();
                return 0;
            case "conv":
                ConvBenchmark.Run();
                return 0;
            case "cnn":
                CnnBenchmark.Run();
                return 0;
            case "autoencoder":
                AutoencoderBenchmark.Run();
                return 0;
            case "lstm":
                LstmBenchmark.Run();
                return 0;
            case "scaling":
                ScalingBenchmark.Run();
                return 0;
            case "profile":
                ProfileBenchmark.Run();
                return 0;
            case "userloop":
                // `userloop quick`: the scoreboard's quick budget for these rows alone.
                UserLoopBenchmark.Run(args.Length > 1 && args[1] == "quick" ? UserLoopBenchmark.Quick : UserLoopBenchmark.Full);
                return 0;
            case "all":
            case "quick":
                Scoreboard.Run(quick: workload == "quick");
                return 0;
            default:
                Console.Error.WriteLine($"unknown workload '{workload}'; expected one of: all, quick, gemm, gemm1, peak, small, mlp, conv, cnn, autoencoder, lstm, scaling, profile, userloop");
                return 2;
        }
    }
}
