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
        var fashion = CompareFashionMnist(rounds);
        Report($"MLP 784-128-64-10, {fashion.Data} 60k, batch 64, Adam: time per epoch", fashion);
        if (fashion.Quality is { } q)
            Console.WriteLine($"  {q.Metric}: Nerva {q.Nerva:F4}, TorchSharp {q.Torch:F4}");
        Report("Iris MLP 4-10-3, batch 16, Adam: time for 100 epochs", CompareIris(rounds));
    }

    private static void Report(string title, TrainingFigures f)
    {
        Console.WriteLine(title);
        Console.WriteLine($"  Nerva {f.Time.Nerva:F3} s   TorchSharp {f.Time.Torch:F3} s   time N/T {f.Time.Ratio:F2}   " +
            $"Nerva allocation per step after warm-up {f.NervaBytesPerStep / 1024:F1} KiB");
    }

    /// <summary>MLP 784-128-64-10 on Fashion-MNIST, batch 64, Adam: seconds per epoch; test accuracy afterwards.</summary>
    public static TrainingFigures CompareFashionMnist(int rounds)
    {
        var (images, labels) = FashionMnistData.Train;
        var test = FashionMnistData.Test is { } t ? (t.Images.Reshape(-1, 784), t.Labels) : ((Tensor, Tensor)?)null;
        return MeasureEpochs(images.Reshape(-1, 784), labels, [128, 64], 10, batchSize: 64, epochsPerRound: 1, rounds, FashionMnistData.Description, test);
    }

    /// <summary>Iris MLP 4-10-3, batch 16, Adam: seconds per 100 epochs.</summary>
    public static TrainingFigures CompareIris(int rounds)
    {
        var (x, y) = Datasets.LoadIris();
        return MeasureEpochs(x, y, [10], 3, batchSize: 16, epochsPerRound: 100, rounds, "Iris");
    }

    private static TrainingFigures MeasureEpochs(Tensor x, Tensor y, int[] hidden, int classes, int batchSize, int epochsPerRound, int rounds,
        string data, (Tensor X, Tensor Y)? test = null)
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

        int nervaEpochs = 0, torchEpochs = 0;
        void NervaEpochs()
        {
            model.Fit(x, y, epochs: epochsPerRound, batchSize: batchSize, verbose: 0);
            nervaEpochs += epochsPerRound;
        }
        void TorchEpochs()
        {
            for (int e = 0; e < epochsPerRound; e++)
                TorchLoop.Epoch(tx.shape[0], batchSize, optimizer, index => criterion.forward(net.forward(tx.index_select(0, index)), ty.index_select(0, index)));
            torchEpochs += epochsPerRound;
        }
        var times = Measure.Rounds(rounds, NervaEpochs, TorchEpochs);

        QualityCheck? quality = null;
        if (test is { } t)
        {
            // Warm-up is timed, not counted: even up the epochs, then compare what the models learned.
            while (nervaEpochs < torchEpochs) NervaEpochs();
            while (torchEpochs < nervaEpochs) TorchEpochs();
            float nervaAccuracy = model.Predict(t.X, 1000).ArgMax(1).Eq(t.Y).Mean().Item();
            using var tx2 = torch.tensor(t.X.ToArray(), [t.X.Dim(0), t.X.Dim(1)]);
            using var ty2 = torch.tensor(t.Y.ToArray().Select(v => (long)v).ToArray(), [t.Y.Dim(0)]);
            float torchAccuracy;
            using (torch.no_grad()) torchAccuracy = net.forward(tx2).argmax(1).eq(ty2).to_type(torch.ScalarType.Float32).mean().item<float>();
            quality = new QualityCheck($"test accuracy after {nervaEpochs} epochs", nervaAccuracy, torchAccuracy);
        }

        var xb = x.Narrow(0, 0, batchSize);
        var yb = y.Narrow(0, 0, batchSize);
        double perStep = Measure.AllocatedPerCall(() => model.TrainOnBatch(xb, yb));
        return new TrainingFigures(new Timing(times[0], times[1]), perStep, data, quality);
    }
}
