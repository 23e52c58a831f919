using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Losses;
using Nerva.Models;
using Nerva.Optimizers;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace Nerva.Benchmarks;

/// <summary>
/// One training step of LSTM(32 → 128) over 50 time steps, batch 64, its last hidden state into
/// Dense 10, cross-entropy on logits, Adam: Nerva's Sequential.TrainOnBatch against the TorchSharp
/// loop, alternating on the same random batch (only the time matters here; the layer's values are
/// pinned by the PyTorch fixtures in the tests).
/// </summary>
internal static class LstmBenchmark
{
    public const string Workload = "LSTM 32→128, 50 time steps, Dense 10, batch 64, Adam";
    public const int Batch = 64, Steps = 50, Features = 32, Units = 128, Classes = 10;

    /// <summary>The random batch: sequences [64, 50, 32] and labels in 0..9.</summary>
    public static (Tensor X, Tensor Y) Data() =>
        (Tensor.RandomNormal([Batch, Steps, Features], seed: 1), Tensor.FromArray(Enumerable.Range(0, Batch).Select(i => (float)(i % Classes)).ToArray()));

    /// <summary>Nerva's network, compiled and built (seeded).</summary>
    public static Sequential NervaModel()
    {
        RandomState.SetSeed(0);
        var model = new Sequential(new LSTM(Units), new Dense(Classes));
        model.Compile(new Adam(learningRate: 1e-3f), new SparseCategoricalCrossentropy(fromLogits: true));
        model.Build([Steps, Features]);
        return model;
    }

    /// <summary>TorchSharp's training step on the same batch (seeded network, Adam, cross-entropy); dispose the result to free the batch.</summary>
    public static (Action Step, IDisposable Batch) TorchStep(Tensor x, Tensor y)
    {
        torch.manual_seed(0);
        var lstm = LSTM(Features, Units, batchFirst: true);
        var head = Linear(Units, Classes);
        var optimizer = torch.optim.Adam(lstm.parameters().Concat(head.parameters()), 1e-3);
        var criterion = CrossEntropyLoss();
        var tx = torch.tensor(x.ToArray(), [Batch, Steps, Features]);
        var ty = torch.tensor(y.ToArray().Select(v => (long)v).ToArray(), [Batch]);
        void Step() => TorchLoop.Step(optimizer, () =>
        {
            var (output, _, _) = lstm.forward(tx);
            return criterion.forward(head.forward(output.select(1, -1)), ty);
        });
        return (Step, new TensorPair(tx, ty));
    }

    private sealed class TensorPair(torch.Tensor a, torch.Tensor b) : IDisposable
    {
        public void Dispose()
        {
            a.Dispose();
            b.Dispose();
        }
    }

    public static void Run(double seconds = 1.5)
    {
        torch.set_num_threads(Environment.ProcessorCount);
        var f = Compare(seconds);
        Console.WriteLine();
        Console.WriteLine($"{Workload}: time per training step");
        Console.WriteLine($"  Nerva {Measure.Time(f.Time.Nerva)}   TorchSharp {Measure.Time(f.Time.Torch)}   time N/T {f.Time.Ratio:F2}   " +
            $"Nerva allocation per step after warm-up {Measure.Bytes(f.NervaBytesPerStep)}");
    }

    /// <summary>Median seconds per training step of each library.</summary>
    public static TrainingFigures Compare(double seconds)
    {
        var (x, y) = Data();
        var model = NervaModel();
        var (torchStep, batch) = TorchStep(x, y);
        using var _ = batch;

        void NervaStep() => model.TrainOnBatch(x, y);
        var times = Measure.Alternating(seconds, 1, NervaStep, torchStep);
        double perStep = Measure.AllocatedPerCall(NervaStep);
        return new TrainingFigures(new Timing(times[0], times[1]), perStep, "random sequences");
    }
}
