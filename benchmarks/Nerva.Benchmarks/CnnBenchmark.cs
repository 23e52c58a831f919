using System.Diagnostics;
using Nerva.Data;
using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Losses;
using Nerva.Models;
using Nerva.Optimizers;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace Nerva.Benchmarks;

/// <summary>
/// The Keras MNIST CNN (issue 5's sample network) as users write it: Nerva through Sequential.Fit and
/// Predict, TorchSharp through the usual loop and module.forward under no_grad. Training is timed over
/// a fixed number of batch-64 steps on Fashion-MNIST (shuffled each round) and scaled to one 60,000-image
/// epoch; inference at batch 1 (latency) and batch 256 (throughput). Libraries alternate; medians.
/// </summary>
internal static class CnnBenchmark
{
    public static void Run(int trainSteps = 300, int rounds = 3)
    {
        int threads = Environment.ProcessorCount;
        torch.set_num_threads(threads);
        Console.WriteLine();
        Tensor images, labels;
        if (Datasets.FashionMnistAvailable())
        {
            (images, labels, _, _) = Datasets.LoadFashionMnist();
        }
        else
        {
            Console.WriteLine("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); timing on random images of the same shape");
            images = Tensor.RandomUniform([60000, 28, 28, 1]);
            var random = new Random(0);
            labels = Tensor.FromArray(Enumerable.Range(0, 60000).Select(_ => (float)random.Next(10)).ToArray());
        }
        const int batchSize = 64;
        int samples = trainSteps * batchSize;
        var x = images.Narrow(0, 0, samples);
        var y = labels.Narrow(0, 0, samples);

        RandomState.SetSeed(0);
        var model = new Sequential(
            new Conv2D(32, 3, activation: "relu"), new MaxPooling2D(2),
            new Conv2D(64, 3, activation: "relu"), new MaxPooling2D(2),
            new Conv2D(64, 3, activation: "relu"), new Flatten(),
            new Dense(64, "relu"), new Dense(10));
        model.Compile(new Adam(learningRate: 1e-3f), new SparseCategoricalCrossentropy(fromLogits: true));

        // The same network in NCHW; with one input channel the image bytes are the same in both layouts.
        var net = Sequential(
            ("conv1", Conv2d(1, 32, 3)), ("relu1", ReLU()), ("pool1", MaxPool2d(2)),
            ("conv2", Conv2d(32, 64, 3)), ("relu2", ReLU()), ("pool2", MaxPool2d(2)),
            ("conv3", Conv2d(64, 64, 3)), ("relu3", ReLU()), ("flatten", Flatten()),
            ("fc1", Linear(576, 64)), ("relu4", ReLU()), ("fc2", Linear(64, 10)));
        var optimizer = torch.optim.Adam(net.parameters(), 1e-3);
        var criterion = CrossEntropyLoss();
        using var tx = torch.tensor(x.ToArray(), [samples, 1, 28, 28]);
        using var ty = torch.tensor(y.ToArray().Select(v => (long)v).ToArray(), [samples]);

        void NervaTrain() => model.Fit(x, y, epochs: 1, batchSize: batchSize, verbose: 0);
        void TorchTrain()
        {
            net.train();
            using var order = torch.randperm(samples);
            for (long start = 0; start < samples; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                var index = order.narrow(0, start, Math.Min(batchSize, samples - start));
                optimizer.zero_grad();
                var loss = criterion.forward(net.forward(tx.index_select(0, index)), ty.index_select(0, index));
                loss.backward();
                optimizer.step();
            }
        }

        NervaTrain();
        TorchTrain();
        var nervaTimes = new List<double>();
        var torchTimes = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            Thread.Sleep(20);
            nervaTimes.Add(Time(NervaTrain));
            Thread.Sleep(20);
            torchTimes.Add(Time(TorchTrain));
        }
        double scale = 60000.0 / samples;
        double nervaEpoch = Measure.Median(nervaTimes) * scale, torchEpoch = Measure.Median(torchTimes) * scale;

        // Allocation and memory of one Nerva training step after warm-up.
        var xb = x.Narrow(0, 0, batchSize);
        var yb = y.Narrow(0, 0, batchSize);
        model.TrainOnBatch(xb, yb);
        long before = GC.GetAllocatedBytesForCurrentThread();
        const int steps = 20;
        for (int i = 0; i < steps; i++) model.TrainOnBatch(xb, yb);
        double bytesPerStep = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)steps;
        long managedHeap = GC.GetGCMemoryInfo().HeapSizeBytes;

        // Inference: batch 1 latency and batch 256 throughput, eval mode, no gradients.
        net.eval();
        var one = x.Narrow(0, 0, 1);
        var many = x.Narrow(0, 0, 256);
        using var tOne = tx.narrow(0, 0, 1);
        using var tMany = tx.narrow(0, 0, 256);
        void TorchPredict(torch.Tensor input)
        {
            using var scope = torch.NewDisposeScope();
            using var _ = torch.no_grad();
            net.forward(input);
        }
        var latency = Measure.Alternating(1.0, 20, () => model.Predict(one, 1), () => TorchPredict(tOne));
        var batch = Measure.Alternating(1.0, 2, () => model.Predict(many, 256), () => TorchPredict(tMany));

        Console.WriteLine($"MnistCnn (Conv32-Pool-Conv64-Pool-Conv64-Dense64-Dense10), Fashion-MNIST, {threads} threads, Adam, logits + cross-entropy");
        Console.WriteLine($"{"measure",-44} | {"Nerva",12} | {"TorchSharp",12} | {"N/T",6}");
        Console.WriteLine(new string('-', 84));
        Row($"training, batch 64: s per epoch ({trainSteps} steps × {scale:F2})", $"{nervaEpoch:F2} s", $"{torchEpoch:F2} s", nervaEpoch / torchEpoch);
        Row("inference latency, batch 1", Measure.Time(latency[0]), Measure.Time(latency[1]), latency[0] / latency[1]);
        Row("inference throughput, batch 256: images/s", $"{256 / batch[0]:F0}", $"{256 / batch[1]:F0}", batch[0] / batch[1]);
        Console.WriteLine($"Nerva allocation per training step after warm-up: {bytesPerStep / 1024:F1} KiB; managed heap {managedHeap / (1 << 20)} MiB; " +
            $"process peak working set (both libraries) {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB");
        Console.WriteLine("N/T is Nerva's time over TorchSharp's (for throughput: the inverse ratio of images/s); below 1 Nerva is faster.");
    }

    private static void Row(string label, string nerva, string torch, double ratio) =>
        Console.WriteLine($"{label,-44} | {nerva,12} | {torch,12} | {ratio,6:F2}");

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }
}
