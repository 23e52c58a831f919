using System.Diagnostics;
using TorchSharp;

namespace Nerva.Benchmarks;

/// <summary>
/// The MnistCnn as users write it: Nerva through Sequential.Fit and Predict, TorchSharp through the
/// usual loop and module.forward under no_grad. Training is timed over a fixed number of batch-64
/// steps on Fashion-MNIST (shuffled each round) and scaled to one 60,000-image epoch; inference at
/// batch 1 (latency) and batch 256 (throughput). Libraries alternate; medians.
/// </summary>
internal static class CnnBenchmark
{
    private const int BatchSize = 64;

    public static void Run(int trainSteps = 300, int rounds = 3)
    {
        int threads = Environment.ProcessorCount;
        torch.set_num_threads(threads);
        Console.WriteLine();
        var f = Compare(trainSteps, rounds, inferenceSeconds: 1.0);
        var (training, latency, batch) = (f.Training.Time, f.Latency, f.Batch256);
        Console.WriteLine($"MnistCnn ({MnistCnn.Architecture}), {f.Training.Data}, {threads} threads, Adam, logits + cross-entropy");
        Console.WriteLine($"{"measure",-52} | {"Nerva",12} | {"TorchSharp",12} | {"N/T",6}");
        Console.WriteLine(new string('-', 92));
        Row($"training, batch 64: s per epoch ({trainSteps} steps × {60000.0 / (trainSteps * BatchSize):F2})", $"{training.Nerva:F2} s", $"{training.Torch:F2} s", training.Ratio);
        Row("inference latency, batch 1", Measure.Time(latency.Nerva), Measure.Time(latency.Torch), latency.Ratio);
        Row("inference throughput, batch 256: images/s", $"{256 / batch.Nerva:F0}", $"{256 / batch.Torch:F0}", batch.Ratio);
        Console.WriteLine($"Nerva allocation per training step after warm-up: {f.Training.NervaBytesPerStep / 1024:F1} KiB; memory held for training " +
            $"(weights, gradients, optimizer state, pooled step buffers) {f.NervaTrainingBytes / (1 << 20)} MiB; " +
            $"process peak working set (both libraries and the data) {f.PeakWorkingSetBytes / (1 << 20)} MiB");
        Console.WriteLine("N/T is Nerva's time over TorchSharp's (for throughput: the inverse ratio of images/s); below 1 Nerva is faster.");
    }

    /// <summary>Training seconds per epoch (from <paramref name="trainSteps"/> steps per round), then inference.</summary>
    public static CnnFigures Compare(int trainSteps, int rounds, double inferenceSeconds)
    {
        int samples = trainSteps * BatchSize;
        var x = FashionMnistData.Train.Images.Narrow(0, 0, samples);
        var y = FashionMnistData.Train.Labels.Narrow(0, 0, samples);
        using var tx = MnistCnn.TorchImages(x);
        using var ty = MnistCnn.TorchLabels(y);
        var cnn = new MnistCnn();

        var times = Measure.Rounds(rounds,
            () => cnn.NervaModel.Fit(x, y, epochs: 1, batchSize: BatchSize, verbose: 0),
            () =>
            {
                cnn.TorchModel.train();
                TorchLoop.Epoch(samples, BatchSize, cnn.TorchOptimizer,
                    index => cnn.TorchLoss.forward(cnn.TorchModel.forward(tx.index_select(0, index)), ty.index_select(0, index)));
            });
        double scale = 60000.0 / samples;

        var xb = x.Narrow(0, 0, BatchSize);
        var yb = y.Narrow(0, 0, BatchSize);
        double bytesPerStep = Measure.AllocatedPerCall(() => cnn.NervaModel.TrainOnBatch(xb, yb));
        // What Nerva keeps to train: weights, gradients and Adam's two moments, and what the process-wide
        // tensor pool holds right after a step (lent and free; other work in this process adds to it).
        var (lent, free) = BufferPool.Held();
        long trainingBytes = 16L * cnn.NervaModel.Parameters.Sum(p => (long)p.Size) + lent + free;

        // Inference: batch 1 latency and batch 256 throughput, eval mode, no gradients.
        cnn.TorchModel.eval();
        var one = x.Narrow(0, 0, 1);
        var many = x.Narrow(0, 0, 256);
        using var tOne = tx.narrow(0, 0, 1);
        using var tMany = tx.narrow(0, 0, 256);
        var latency = Measure.Alternating(inferenceSeconds, 20, () => cnn.NervaModel.Predict(one, 1), () => cnn.TorchPredict(tOne));
        var batch = Measure.Alternating(inferenceSeconds, 2, () => cnn.NervaModel.Predict(many, 256), () => cnn.TorchPredict(tMany));

        return new CnnFigures(
            new TrainingFigures(new Timing(times[0] * scale, times[1] * scale), bytesPerStep, FashionMnistData.Description),
            trainSteps, new Timing(latency[0], latency[1]), new Timing(batch[0], batch[1]),
            Measure.AllocatedPerCall(() => cnn.NervaModel.Predict(one, 1)), Measure.AllocatedPerCall(() => cnn.NervaModel.Predict(many, 256)),
            trainingBytes, Process.GetCurrentProcess().PeakWorkingSet64);
    }

    private static void Row(string label, string nerva, string torch, double ratio) =>
        Console.WriteLine($"{label,-52} | {nerva,12} | {torch,12} | {ratio,6:F2}");
}
