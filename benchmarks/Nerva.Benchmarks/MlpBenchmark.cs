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
/// Training MLPs as users write them: Nerva through Sequential.Fit, TorchSharp through the usual
/// loop (shuffled index, index_select, forward, CrossEntropyLoss, backward, Adam step, disposed
/// per batch). Epochs alternate between the libraries; figures are medians.
/// </summary>
internal static class MlpBenchmark
{
    public static void Run(int rounds = 3)
    {
        torch.set_num_threads(Environment.ProcessorCount);
        Console.WriteLine();
        if (!Datasets.FashionMnistAvailable())
        {
            Console.WriteLine("MLP 784-128-64-10: Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); skipped");
        }
        else
        {
            var (images, labels, testImages, testLabels) = Datasets.LoadFashionMnist();
            var x = images.Reshape(-1, 784);
            Report("MLP 784-128-64-10, Fashion-MNIST 60k, batch 64, Adam: time per epoch",
                MeasureEpochs(x, labels, [128, 64], 10, batchSize: 64, epochsPerRound: 1, rounds, (testImages.Reshape(-1, 784), testLabels)));
        }
        var (irisX, irisY) = Datasets.LoadIris();
        Report("Iris MLP 4-10-3, batch 16, Adam: time for 100 epochs",
            MeasureEpochs(irisX, irisY, [10], 3, batchSize: 16, epochsPerRound: 100, rounds));
    }

    private static void Report(string title, (double Nerva, double Torch, double BytesPerStep) r)
    {
        Console.WriteLine(title);
        Console.WriteLine($"  Nerva {r.Nerva:F3} s   TorchSharp {r.Torch:F3} s   time N/T {r.Nerva / r.Torch:F2}   Nerva allocation per step after warm-up {r.BytesPerStep / 1024:F1} KiB");
    }

    private static (double, double, double) MeasureEpochs(Tensor x, Tensor y, int[] hidden, int classes, int batchSize, int epochsPerRound, int rounds,
        (Tensor X, Tensor Y)? test = null)
    {
        RandomState.SetSeed(0);
        var model = new Sequential([.. hidden.Select(h => (Layer)new Dense(h, "relu")), new Dense(classes)], "mlp");
        model.Compile(new Adam(learningRate: 1e-3f), new SparseCategoricalCrossentropy(fromLogits: true));

        var tx = torch.tensor(x.ToArray(), [x.Dim(0), x.Dim(1)]);
        var ty = torch.tensor(y.ToArray().Select(v => (long)v).ToArray(), [y.Dim(0)]);
        var layers = new List<(string, torch.nn.Module<torch.Tensor, torch.Tensor>)>();
        int inputs = x.Dim(1);
        for (int i = 0; i < hidden.Length; i++)
        {
            layers.Add(($"fc{i}", Linear(inputs, hidden[i])));
            layers.Add(($"relu{i}", ReLU()));
            inputs = hidden[i];
        }
        layers.Add(("out", Linear(inputs, classes)));
        var net = Sequential(layers);
        var optimizer = torch.optim.Adam(net.parameters(), 1e-3);
        var criterion = CrossEntropyLoss();

        void NervaEpochs() => model.Fit(x, y, epochs: epochsPerRound, batchSize: batchSize, verbose: 0);
        void TorchEpochs()
        {
            for (int e = 0; e < epochsPerRound; e++)
            {
                using var order = torch.randperm(tx.shape[0]);
                for (long start = 0; start < tx.shape[0]; start += batchSize)
                {
                    using var scope = torch.NewDisposeScope();
                    var index = order.narrow(0, start, Math.Min(batchSize, tx.shape[0] - start));
                    optimizer.zero_grad();
                    var loss = criterion.forward(net.forward(tx.index_select(0, index)), ty.index_select(0, index));
                    loss.backward();
                    optimizer.step();
                }
            }
        }

        // Warm up both (JIT, pools), then alternate timed rounds.
        NervaEpochs();
        TorchEpochs();
        var nerva = new List<double>();
        var torchTimes = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            nerva.Add(Time(NervaEpochs));
            torchTimes.Add(Time(TorchEpochs));
        }

        // Both models have now seen the same number of epochs: compare what they learned.
        if (test is { } t)
        {
            float nervaAccuracy = model.Predict(t.X, 1000).ArgMax(1).Eq(t.Y).Mean().Item();
            using var tx2 = torch.tensor(t.X.ToArray(), [t.X.Dim(0), t.X.Dim(1)]);
            using var ty2 = torch.tensor(t.Y.ToArray().Select(v => (long)v).ToArray(), [t.Y.Dim(0)]);
            float torchAccuracy;
            using (torch.no_grad()) torchAccuracy = net.forward(tx2).argmax(1).eq(ty2).to_type(torch.ScalarType.Float32).mean().item<float>();
            Console.WriteLine($"  test accuracy after {rounds + 1} epochs: Nerva {nervaAccuracy:F4}, TorchSharp {torchAccuracy:F4}");
        }

        // Allocation of one training step after warm-up.
        var xb = x.Narrow(0, 0, batchSize);
        var yb = y.Narrow(0, 0, batchSize);
        model.TrainOnBatch(xb, yb);
        long before = GC.GetAllocatedBytesForCurrentThread();
        const int steps = 20;
        for (int i = 0; i < steps; i++) model.TrainOnBatch(xb, yb);
        double perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)steps;
        return (Measure.Median(nerva), Measure.Median(torchTimes), perStep);
    }

    private static double Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalSeconds;
    }
}
