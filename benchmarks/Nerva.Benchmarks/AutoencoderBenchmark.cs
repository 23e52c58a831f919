using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Losses;
using Nerva.Models;
using Nerva.Optimizers;
using TorchSharp;
using static TorchSharp.torch.nn;

namespace Nerva.Benchmarks;

/// <summary>
/// A dense autoencoder 784-128-32-128-784 (relu hidden, sigmoid output) trained to reproduce
/// Fashion-MNIST images, batch 128, Adam, mean squared error: Nerva through Sequential.Fit with the
/// images as their own targets, TorchSharp through the usual loop. Epochs alternate; medians.
/// </summary>
internal static class AutoencoderBenchmark
{
    private const int BatchSize = 128;

    public static void Run(int rounds = 3)
    {
        torch.set_num_threads(Environment.ProcessorCount);
        var f = Compare(rounds);
        Console.WriteLine();
        Console.WriteLine($"Autoencoder 784-128-32-128-784, {f.Data} 60k, batch {BatchSize}, Adam, MSE: time per epoch");
        Console.WriteLine($"  Nerva {f.Time.Nerva:F3} s   TorchSharp {f.Time.Torch:F3} s   time N/T {f.Time.Ratio:F2}   " +
            $"Nerva allocation per step after warm-up {f.NervaBytesPerStep / 1024:F1} KiB");
        if (f.Quality is { } q) Console.WriteLine($"  {q.Metric}: Nerva {q.Nerva:F5}, TorchSharp {q.Torch:F5}");
    }

    /// <summary>Seconds per 60,000-image epoch; reconstruction error on the test images afterwards.</summary>
    public static TrainingFigures Compare(int rounds)
    {
        var x = FashionMnistData.Train.Images.Reshape(-1, 784);
        RandomState.SetSeed(0);
        var model = new Sequential([new Dense(128, "relu"), new Dense(32, "relu"), new Dense(128, "relu"), new Dense(784, "sigmoid")], "autoencoder");
        model.Compile(new Adam(learningRate: 1e-3f), new MeanSquaredError());

        using var tx = torch.tensor(x.ToArray(), [x.Dim(0), 784]);
        var net = Sequential(
            ("enc1", Linear(784, 128)), ("relu1", ReLU()), ("enc2", Linear(128, 32)), ("relu2", ReLU()),
            ("dec1", Linear(32, 128)), ("relu3", ReLU()), ("dec2", Linear(128, 784)), ("sigmoid", Sigmoid()));
        var optimizer = torch.optim.Adam(net.parameters(), 1e-3);
        var criterion = MSELoss();

        int nervaEpochs = 0, torchEpochs = 0;
        void NervaEpoch()
        {
            model.Fit(x, x, epochs: 1, batchSize: BatchSize, verbose: 0);
            nervaEpochs++;
        }
        void TorchEpoch()
        {
            TorchLoop.Epoch(tx.shape[0], BatchSize, optimizer, index =>
            {
                var batch = tx.index_select(0, index);
                return criterion.forward(net.forward(batch), batch);
            });
            torchEpochs++;
        }
        var times = Measure.Rounds(rounds, NervaEpoch, TorchEpoch);

        QualityCheck? quality = null;
        if (FashionMnistData.Test is { } test)
        {
            // Warm-up is timed, not counted: even up the epochs; then both should reconstruct about equally well.
            while (nervaEpochs < torchEpochs) NervaEpoch();
            while (torchEpochs < nervaEpochs) TorchEpoch();
            var testX = test.Images.Reshape(-1, 784);
            var error = model.Predict(testX, 1000) - testX;
            float nervaMse = (error * error).Mean().Item();
            using var tTest = torch.tensor(testX.ToArray(), [testX.Dim(0), 784]);
            float torchMse;
            using (torch.no_grad()) torchMse = criterion.forward(net.forward(tTest), tTest).item<float>();
            quality = new QualityCheck($"test reconstruction MSE after {nervaEpochs} epochs", nervaMse, torchMse);
        }

        var xb = x.Narrow(0, 0, BatchSize);
        double perStep = Measure.AllocatedPerCall(() => model.TrainOnBatch(xb, xb));
        return new TrainingFigures(new Timing(times[0], times[1]), perStep, FashionMnistData.Description, quality);
    }
}
