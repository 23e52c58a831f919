using System.Diagnostics;
using Nerva.Diagnostics;
using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Losses;
using Nerva.Models;
using Nerva.Optimizers;

namespace Nerva.Benchmarks;

/// <summary>
/// Where Nerva's time goes in scoreboard workloads 3, 4, 5, 6 and 7: the in-process Profiler over many
/// steps on one fixed batch (per-layer forward, inclusive; per-op backward), after a warm-up long
/// enough for the JIT to finish. Nerva only; the step time is measured without the profiler.
/// </summary>
internal static class ProfileBenchmark
{
    public static void Run()
    {
        var (images, labels) = FashionMnistData.Train;
        Console.WriteLine($"Data: {FashionMnistData.Description}");

        RandomState.SetSeed(0);
        var mlp = new Sequential(new Dense(128, "relu"), new Dense(64, "relu"), new Dense(10));
        mlp.Compile(new Adam(), new SparseCategoricalCrossentropy(fromLogits: true));
        Training("3 MLP 784-128-64-10, batch 64", mlp, images.Reshape(-1, 784).Narrow(0, 0, 64), labels.Narrow(0, 0, 64), steps: 2000);

        var autoencoder = new Sequential(new Dense(128, "relu"), new Dense(32, "relu"), new Dense(128, "relu"), new Dense(784, "sigmoid"));
        autoencoder.Compile(new Adam(), new MeanSquaredError());
        var flat = images.Reshape(-1, 784).Narrow(0, 0, 128);
        Training("6 Autoencoder 784-128-32-128-784, batch 128", autoencoder, flat, flat, steps: 1000);

        var cnn = new MnistCnn().NervaModel;
        Training("4 MnistCnn training, batch 64", cnn, images.Narrow(0, 0, 64), labels.Narrow(0, 0, 64), steps: 300);

        var lstm = new Sequential(new LSTM(128), new Dense(10));
        lstm.Compile(new Adam(), new SparseCategoricalCrossentropy(fromLogits: true));
        var sequences = Tensor.RandomNormal([64, 50, 32], seed: 1);
        Training("5 LSTM 32→128, 50 time steps, Dense 10, batch 64", lstm, sequences, labels.Narrow(0, 0, 64), steps: 300);

        var one = images.Narrow(0, 0, 1);
        Report("7 MnistCnn inference, batch 1", () => cnn.Predict(one, 1), calls: 5000);
    }

    private static void Training(string title, Model model, Tensor x, Tensor y, int steps) =>
        Report(title, () => model.TrainOnBatch(x, y), steps);

    private static void Report(string title, Action call, int calls)
    {
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed.TotalSeconds < 2) call();
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < calls; i++) call();
        double perCall = Stopwatch.GetElapsedTime(start).TotalSeconds / calls;
        Profiler.Reset();
        Profiler.Enabled = true;
        for (int i = 0; i < calls; i++) call();
        Profiler.Enabled = false;
        Console.WriteLine();
        Console.WriteLine($"{title}: {Measure.Time(perCall)} per call without the profiler; totals over {calls} calls:");
        Console.Write(Profiler.Report());
    }
}
