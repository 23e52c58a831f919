using TorchSharp;
using static TorchSharp.torch.nn;

namespace Nerva.Benchmarks;

/// <summary>
/// The reference figure for the LSTM workload Nerva cannot run yet (it has no LSTM layer): one
/// TorchSharp training step of LSTM(32 → 128) over 50 time steps, batch 64, its last hidden state
/// into Dense 10, cross-entropy, Adam; on random data, since only the time matters.
/// </summary>
internal static class LstmBenchmark
{
    public const string Workload = "LSTM 32→128, 50 time steps, Dense 10, batch 64, Adam";

    public static void Run(double seconds = 1.5)
    {
        torch.set_num_threads(Environment.ProcessorCount);
        Console.WriteLine();
        Console.WriteLine($"{Workload}: TorchSharp {Measure.Time(TorchStep(seconds))} per training step; Nerva has no LSTM layer yet");
    }

    /// <summary>Median seconds per TorchSharp training step.</summary>
    public static double TorchStep(double seconds)
    {
        torch.manual_seed(0);
        var lstm = LSTM(32, 128, batchFirst: true);
        var head = Linear(128, 10);
        var optimizer = torch.optim.Adam(lstm.parameters().Concat(head.parameters()), 1e-3);
        var criterion = CrossEntropyLoss();
        using var x = torch.randn(64, 50, 32);
        using var y = torch.randint(10, [64]);
        void Step() => TorchLoop.Step(optimizer, () =>
        {
            var (output, _, _) = lstm.forward(x);
            return criterion.forward(head.forward(output.select(1, -1)), y);
        });
        return Measure.Alternating(seconds, 1, Step)[0];
    }
}
