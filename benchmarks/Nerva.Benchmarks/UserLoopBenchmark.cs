using System.Runtime;
using System.Text.Json;
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
/// Nerva as users write it outside Model.Fit: the README's PyTorch-style loop, the MnistCnn and the
/// LSTM trained by a hand-written loop, ops that return new tensors, and the peak resident memory of
/// whole training processes. Each Nerva figure is set against TorchSharp's (and, for the loops,
/// against Nerva's own Fit or TrainOnBatch on the same network), alternating in this process; the
/// memory figures come from fresh processes (<see cref="PeakRss"/>). The program carries no GC
/// setting of its own; <see cref="GcSettings"/> says what is in effect.
/// </summary>
internal static class UserLoopBenchmark
{
    /// <summary>
    /// How much to measure: the README loop over <paramref name="MlpSamples"/> Fashion-MNIST images (whole epochs, or a
    /// part scaled to one), the CNN and LSTM steps for <paramref name="StepSeconds"/> per contender, the ops for
    /// <paramref name="OpSeconds"/>; the MnistCnn memory processes only when <paramref name="CnnRss"/>.
    /// </summary>
    public sealed record Budget(string Name, int MlpSamples, int EpochRounds, double StepSeconds, double WarmUpSeconds,
        int[] MatMulSizes, double OpSeconds, bool CnnRss);

    public static readonly Budget Full = new("all", MlpSamples: 60000, EpochRounds: 3, StepSeconds: 1.5, WarmUpSeconds: 1.0,
        MatMulSizes: [256, 1024, 2048], OpSeconds: 0.9, CnnRss: true);
    public static readonly Budget Quick = new("quick", MlpSamples: 19200, EpochRounds: 2, StepSeconds: 0.6, WarmUpSeconds: 0.5,
        MatMulSizes: [256, 1024], OpSeconds: 0.6, CnnRss: false);

    private const int BatchSize = 64, EpochSamples = 60000;
    private const double SliceSeconds = 0.3;

    /// <summary>A row of contenders: Nerva's user code, TorchSharp's, and (for the training loops) Nerva's Fit or TrainOnBatch.</summary>
    public sealed record Comparison(string Label, Contender Nerva, Contender Torch, Contender? NervaModel = null);

    /// <summary>Everything measured; <see cref="Lines"/> and <see cref="Notes"/> format it.</summary>
    public sealed record Figures(Budget Budget, int MlpSteps, Comparison Readme, Comparison Cnn, Comparison Lstm,
        List<Comparison> Ops, PeakRss.Run ReadmeRss, PeakRss.Run TorchMlpRss, PeakRss.Run? CnnFitRss, PeakRss.Run? TorchCnnRss,
        PeakRss.Run? NervaDataRss, PeakRss.Run? TorchDataRss);

    /// <summary>The `userloop` workload: one table (the full budget unless told otherwise).</summary>
    public static void Run(Budget budget)
    {
        torch.set_num_threads(Environment.ProcessorCount);
        Console.WriteLine(GcSettings());
        string loadBefore = Scoreboard.LoadAverage();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var f = Compare(budget, what => Console.WriteLine($"[{clock.Elapsed.TotalSeconds,4:F0} s] measured {what} (load average {Scoreboard.LoadAverage()})"));
        Console.WriteLine();
        Console.WriteLine($"User loops ({budget.Name}): Nerva outside Fit against TorchSharp {typeof(torch).Assembly.GetName().Version?.ToString(3)}, " +
            $"{Environment.ProcessorCount} threads, measured in {clock.Elapsed.TotalMinutes:F1} min; load average {loadBefore} before, {Scoreboard.LoadAverage()} after");
        Scoreboard.PrintTable(Lines(f));
        Console.WriteLine();
        foreach (var note in Notes(f)) Console.WriteLine(note);
    }

    /// <summary>Measures every row; <paramref name="progress"/> hears after each group.</summary>
    public static Figures Compare(Budget budget, Action<string>? progress = null)
    {
        var readme = CompareReadmeLoop(budget, out int mlpSteps);
        progress?.Invoke("README loop");
        var cnn = CompareCnn(budget);
        progress?.Invoke("MnistCnn user loop");
        var lstm = CompareLstm(budget);
        progress?.Invoke("LSTM user loop");
        var ops = CompareOps(budget);
        progress?.Invoke("allocating ops");
        var readmeRss = PeakRss.Launch(PeakRss.ReadmeLoop);
        var torchMlpRss = PeakRss.Launch(PeakRss.TorchMlp);
        PeakRss.Run? cnnRss = null, torchCnnRss = null, nervaData = null, torchData = null;
        if (budget.CnnRss)
        {
            cnnRss = PeakRss.Launch(PeakRss.CnnFit);
            torchCnnRss = PeakRss.Launch(PeakRss.TorchCnn);
            nervaData = PeakRss.Launch(PeakRss.NervaData);
            torchData = PeakRss.Launch(PeakRss.TorchData);
        }
        progress?.Invoke("peak RSS (child processes)");
        return new Figures(budget, mlpSteps, readme, cnn, lstm, ops, readmeRss, torchMlpRss, cnnRss, torchCnnRss, nervaData, torchData);
    }

    // ---- 10: the README's PyTorch-style loop --------------------------------------------------

    /// <summary>The README's network, verbatim.</summary>
    private sealed class Net : Layer
    {
        private readonly Dense fc1 = new(128, inputDim: 784), fc2 = new(64, inputDim: 128), fc3 = new(10, inputDim: 64);
        public override Tensor Forward(Tensor x, bool training = false) => fc3.Forward(fc2.Forward(fc1.Forward(x).Relu()).Relu());
    }

    /// <summary>The README's loop, verbatim: one epoch over (x, y) per <see cref="Epoch"/>.</summary>
    internal sealed class ReadmeLoop
    {
        private readonly Tensor x, y;
        private readonly Net net;
        private readonly Adam optimizer;
        private readonly SparseCategoricalCrossentropy criterion;

        public ReadmeLoop(Tensor x, Tensor y)
        {
            (this.x, this.y) = (x, y);
            RandomState.SetSeed(0);
            net = new Net();
            optimizer = new Adam(net.Parameters, learningRate: 1e-3f);
            criterion = new SparseCategoricalCrossentropy(fromLogits: true);
        }

        public void Epoch()
        {
            foreach (var (images, labels) in new DataLoader(new TensorDataset(x, y), batchSize: 64, shuffle: true))
            {
                optimizer.ZeroGrad();
                criterion.Call(labels, net.Forward(images, training: true)).Backward();
                optimizer.Step();
            }
        }
    }

    /// <summary>The MLP 784-128-64-10 as TorchSharp users write it (as <see cref="MlpBenchmark"/>'s).</summary>
    public static Module<torch.Tensor, torch.Tensor> TorchMlp() => Sequential(
        ("fc0", Linear(784, 128)), ("relu0", ReLU()), ("fc1", Linear(128, 64)), ("relu1", ReLU()), ("out", Linear(64, 10)));

    private static Comparison CompareReadmeLoop(Budget budget, out int steps)
    {
        var (images, labels) = FashionMnistData.Train;
        var x = images.Reshape(-1, 784).Narrow(0, 0, budget.MlpSamples);
        var y = labels.Narrow(0, 0, budget.MlpSamples);
        steps = (budget.MlpSamples + BatchSize - 1) / BatchSize;

        var loop = new ReadmeLoop(x, y);

        RandomState.SetSeed(0);
        var model = new Sequential([new Dense(128, "relu"), new Dense(64, "relu"), new Dense(10)], "mlp");
        model.Compile(new Adam(learningRate: 1e-3f), new SparseCategoricalCrossentropy(fromLogits: true));

        torch.manual_seed(0);
        using var tx = torch.tensor(x.ToArray(), [x.Dim(0), 784]);
        using var ty = torch.tensor(y.ToArray().Select(v => (long)v).ToArray(), [y.Dim(0)]);
        var net = TorchMlp();
        var optimizer = torch.optim.Adam(net.parameters(), 1e-3);
        var criterion = CrossEntropyLoss();

        var nerva = new Contender(loop.Epoch, steps);
        var fit = new Contender(() => model.Fit(x, y, epochs: 1, batchSize: BatchSize, verbose: 0), steps);
        var torchLoop = new Contender(() => TorchLoop.Epoch(tx.shape[0], BatchSize, optimizer,
            index => criterion.forward(net.forward(tx.index_select(0, index)), ty.index_select(0, index))), steps);
        // Whole epochs (or the budget's part of one) alternate, as Measure.Rounds: warm-up ≥ 1 s each, then rounds.
        UserLoopTiming.Alternate([nerva, fit, torchLoop], seconds: 0, sliceSeconds: 0, minRounds: budget.EpochRounds,
            warmUpSeconds: 1.0, sampleSeconds: 0);
        return new Comparison("README loop", nerva, torchLoop, fit);
    }

    // ---- 11: the MnistCnn by a user loop ------------------------------------------------------

    /// <summary>MnistCnn's network (<see cref="MnistCnn.CreateNervaModel"/>) written PyTorch style: layers in fields, Forward composes them.</summary>
    private sealed class CnnNet : Layer
    {
        private readonly Conv2D conv1 = new(32, 3, activation: "relu"), conv2 = new(64, 3, activation: "relu"), conv3 = new(64, 3, activation: "relu");
        private readonly MaxPooling2D pool1 = new(2), pool2 = new(2);
        private readonly Flatten flatten = new();
        private readonly Dense fc1 = new(64, "relu"), fc2 = new(10);

        public override Tensor Forward(Tensor x, bool training = false)
        {
            x = pool1.Forward(conv1.Forward(x, training), training);
            x = pool2.Forward(conv2.Forward(x, training), training);
            x = flatten.Forward(conv3.Forward(x, training), training);
            return fc2.Forward(fc1.Forward(x, training), training);
        }
    }

    /// <summary>The LSTM benchmark's network written PyTorch style.</summary>
    private sealed class LstmNet : Layer
    {
        private readonly LSTM lstm = new(LstmBenchmark.Units);
        private readonly Dense head = new(10);
        public override Tensor Forward(Tensor x, bool training = false) => head.Forward(lstm.Forward(x, training), training);
    }

    /// <summary>A user's training step on one batch, the README's calls: ZeroGrad (default argument), forward, loss, Backward, Step.</summary>
    private static Action UserStep(Layer net, Tensor x, Tensor y)
    {
        // Sub-layers create their weights on the first forward call; the optimizer takes them after it.
        using (Autograd.NoGrad()) net.Forward(x);
        var optimizer = new Adam(net.Parameters, learningRate: 1e-3f);
        var criterion = new SparseCategoricalCrossentropy(fromLogits: true);
        return () =>
        {
            optimizer.ZeroGrad();
            criterion.Call(y, net.Forward(x, training: true)).Backward();
            optimizer.Step();
        };
    }

    private static Comparison CompareSteps(string label, Budget budget, Action nerva, Action trainOnBatch, Action torchStep)
    {
        Contender user = new(nerva), model = new(trainOnBatch), other = new(torchStep);
        UserLoopTiming.Alternate([user, model, other], budget.StepSeconds, SliceSeconds, warmUpSeconds: budget.WarmUpSeconds, sampleSeconds: 0.1);
        return new Comparison(label, user, other, model);
    }

    private static Comparison CompareCnn(Budget budget)
    {
        var xb = FashionMnistData.Train.Images.Narrow(0, 0, BatchSize);
        var yb = FashionMnistData.Train.Labels.Narrow(0, 0, BatchSize);
        using var tx = MnistCnn.TorchImages(xb);
        using var ty = MnistCnn.TorchLabels(yb);
        RandomState.SetSeed(0);
        var user = UserStep(new CnnNet(), xb, yb);
        var cnn = new MnistCnn();
        cnn.TorchModel.train();
        return CompareSteps("MnistCnn", budget, user, () => cnn.NervaModel.TrainOnBatch(xb, yb), () => cnn.TorchStep(tx, ty));
    }

    private static Comparison CompareLstm(Budget budget)
    {
        // LstmBenchmark's data and networks.
        var (x, y) = LstmBenchmark.Data();
        RandomState.SetSeed(0);
        var user = UserStep(new LstmNet(), x, y);
        var model = LstmBenchmark.NervaModel();
        var (torchStep, batch) = LstmBenchmark.TorchStep(x, y);
        using var _ = batch;
        return CompareSteps("LSTM", budget, user, () => model.TrainOnBatch(x, y), torchStep);
    }

    // ---- 13: ops into new tensors -------------------------------------------------------------

    private static List<Comparison> CompareOps(Budget budget)
    {
        var rows = new List<Comparison>();
        Comparison Time(string label, Action nerva, Action torchCall)
        {
            Contender n = new(nerva), t = new(torchCall);
            UserLoopTiming.Alternate([n, t], budget.OpSeconds, SliceSeconds, warmUpSeconds: 0.3, sampleSeconds: 0.05);
            return new Comparison(label, n, t);
        }
        foreach (int n in budget.MatMulSizes)
        {
            var a = Tensor.RandomUniform([n, n], -0.5f, 0.5f, seed: n);
            var b = Tensor.RandomUniform([n, n], -0.5f, 0.5f, seed: n + 1);
            using var ta = torch.tensor(a.ToArray(), [n, n]);
            using var tb = torch.tensor(b.ToArray(), [n, n]);
            rows.Add(Time($"a.MatMul(b) {n}³, no grad", () => _ = a.MatMul(b), () => { using var c = torch.matmul(ta, tb); }));
        }
        {
            const int size = 1 << 20;
            var a = Tensor.RandomUniform([size], -1f, 1f, seed: 1);
            var b = Tensor.RandomUniform([size], -1f, 1f, seed: 2);
            using var ta = torch.tensor(a.ToArray(), [size]);
            using var tb = torch.tensor(b.ToArray(), [size]);
            rows.Add(Time("a + b, 1M floats", () => _ = a + b, () => { using var c = ta + tb; }));
            rows.Add(Time("a.Relu(), 1M floats", () => _ = a.Relu(), () => { using var c = ta.relu(); }));
        }
        return rows;
    }

    // ---- the table ----------------------------------------------------------------------------

    public static List<Scoreboard.Line> Lines(Figures f)
    {
        var lines = new List<Scoreboard.Line>();
        string T(double seconds) => Measure.Time(seconds);
        string R(double ratio) => $"{ratio:F2}";
        void Training(string what, Comparison c)
        {
            double user = c.Nerva.Median, fit = c.NervaModel!.Median, other = c.Torch.Median;
            lines.Add(new($"{what}, user loop: step", T(user), T(other), R(user / other), c.Nerva.Allocation()));
            lines.Add(new($"{what}, Nerva TrainOnBatch: step", T(fit), T(other), R(fit / other), c.NervaModel.Allocation()));
            lines.Add(new($"{what}: user loop over TrainOnBatch", $"{user / fit:F2}×", "–", "–", "–"));
        }

        var readme = f.Readme;
        double perStep = readme.Nerva.Median, torchStep = readme.Torch.Median;
        double epochSteps = Math.Ceiling(EpochSamples / (double)BatchSize);
        string scaled = f.MlpSteps == epochSteps ? $"{f.MlpSteps} steps" : $"scaled from {f.MlpSteps} steps";
        lines.Add(new("10 README loop, MLP 784-128-64-10, batch 64: step", T(perStep), T(torchStep), R(perStep / torchStep), readme.Nerva.Allocation()));
        lines.Add(new($"10 README loop: epoch ({scaled})", T(perStep * epochSteps), T(torchStep * epochSteps), R(perStep / torchStep), "–"));
        double fitStep = readme.NervaModel!.Median;
        lines.Add(new("10 same MLP, Nerva Fit: step", T(fitStep), T(torchStep), R(fitStep / torchStep), readme.NervaModel.Allocation()));
        lines.Add(new($"10 same MLP, Nerva Fit: epoch ({scaled})", T(fitStep * epochSteps), T(torchStep * epochSteps), R(fitStep / torchStep), "–"));
        lines.Add(new("10 README loop over Fit", $"{perStep / fitStep:F2}×", "–", "–", "–"));
        Training("11 MnistCnn, batch 64", f.Cnn);
        Training("12 LSTM (as 5)", f.Lstm);
        foreach (var op in f.Ops)
            lines.Add(new($"13 {op.Label}, new tensor (Torch disposes it): call", T(op.Nerva.Median), T(op.Torch.Median), R(op.Nerva.Median / op.Torch.Median),
                op.Nerva.Allocation("call")));
        lines.Add(Rss("14 peak RSS, README loop / Torch loop, 1 epoch, own process", f.ReadmeRss, f.TorchMlpRss));
        if (f.CnnFitRss is { } cnn && f.TorchCnnRss is { } torchCnn)
            lines.Add(Rss("14 peak RSS, MnistCnn Fit / Torch loop, 1 epoch, own process", cnn, torchCnn));
        return lines;
    }

    private static Scoreboard.Line Rss(string label, PeakRss.Run nerva, PeakRss.Run other) =>
        new(label, nerva.Peak, other.Peak, nerva.Error is null && other.Error is null ? $"{(double)nerva.PeakBytes / other.PeakBytes:F2}" : "–",
            $"epoch {Seconds(nerva.EpochSeconds)} / {Seconds(other.EpochSeconds)}");

    private static string Seconds(double s) => double.IsNaN(s) ? "n/a" : $"{s:F1} s";

    public static IEnumerable<string> Notes(Figures f)
    {
        yield return "User loops (10–12): Nerva code written as a user writes it outside Fit (layers in a Layer's fields, new Adam(net.Parameters), " +
            "SparseCategoricalCrossentropy(fromLogits: true); per step optimizer.ZeroGrad(), criterion.Call(labels, net.Forward(images, training: true)).Backward(), optimizer.Step()). " +
            "10 is the README's code verbatim (sealed class Net : Layer, Dense 784-128-64-10 fields, relu) over Fashion-MNIST (DataLoader batch 64, shuffled, default prefetch); its Fit row is Sequential Dense 128 relu, 64 relu, 10 compiled with Adam and " +
            "the same loss. 11 (MnistCnn's network as a Layer with fields) and 12 (LSTM 32→128 over 50 time steps, Dense 10, batch 64, as row 5) train on one fixed batch, " +
            "against TrainOnBatch on the same network. TorchSharp: the loop of rows 3–5 (zero_grad, forward, loss, backward, step, " +
            "a dispose scope per step; 10 gathers each batch with randperm + index_select).";
        yield return $"Timing: 10 alternates whole epochs ({f.Budget.EpochRounds} rounds after ≥ 1 s of warm-up each); 11–13 alternate slices of ≥ {SliceSeconds} s " +
            "whose samples each span ≥ 0.1 s of steps (13: ≥ 0.05 s of calls), so the collections a loop causes are inside the samples; medians.";
        yield return "Nerva alloc (10–13): managed bytes per step (or call) allocated on the timing thread during the timed calls (GC.GetAllocatedBytesForCurrentThread), and " +
            "the gen0/gen1/gen2 collections counted in that time (GC.CollectionCount, whole process; a gen2 collection also counts as gen1 and gen0). " +
            $"Whole process, with the DataLoader's prefetch thread: README loop {Measure.Bytes(f.Readme.Nerva.ProcessBytesPerStep)}/step, " +
            $"Fit {Measure.Bytes(f.Readme.NervaModel!.ProcessBytesPerStep)}/step.";
        yield return "13: TorchSharp's result is disposed inside the timed loop (using var c = torch.matmul(a, b) / a + b / a.relu()), as a careful TorchSharp user does; " +
            "Nerva's result is left to the .NET GC. No gradients are recorded on either side.";
        yield return "14: peak resident set (VmHWM from /proc/self/status) of a fresh process per figure: this program started again with a hidden workload " +
            $"({PeakRss.ReadmeLoop}, {PeakRss.CnnFit}, {PeakRss.TorchMlp}, {PeakRss.TorchCnn}), one library per process. Nerva loads Fashion-MNIST with " +
            "Datasets.LoadFashionMnist (train and test as float tensors, ~215 MiB); TorchSharp reads the training IDX bytes into a float tensor (~180 MiB). " +
            "libtorch there also runs with the fixed malloc thresholds. N/T in 14 is Nerva's peak over TorchSharp's; the last column is each process's epoch time (Nerva / TorchSharp)." +
            (f.NervaDataRss is { } nd && f.TorchDataRss is { } td
                ? $" A process that only loads the data (and, for TorchSharp, libtorch) peaks at {nd.Peak} (Nerva), {td.Peak} (TorchSharp)."
                : " The MnistCnn processes run in `all` only.");
        foreach (var run in new[] { f.ReadmeRss, f.TorchMlpRss, f.CnnFitRss, f.TorchCnnRss, f.NervaDataRss, f.TorchDataRss }.OfType<PeakRss.Run>().Where(r => r.Error is not null))
            yield return $"14: {run.Workload} failed: {run.Error}";
        yield return GcSettings();
    }

    /// <summary>The runtime's garbage-collector settings in effect, from every place they can be set.</summary>
    public static string GcSettings()
    {
        static string Data(string key) => AppContext.GetData(key)?.ToString() ?? "unset";
        var effective = GC.GetConfigurationVariables();
        string Effective(string key) => effective.TryGetValue(key, out var v) ? v.ToString() ?? "?" : "n/a";
        var environment = Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(k => (k.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase) || k.StartsWith("COMPlus_", StringComparison.OrdinalIgnoreCase))
                && k.Contains("gc", StringComparison.OrdinalIgnoreCase))
            .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}").ToList();
        var runtimeConfig = new List<string>();
        string configPath = Path.ChangeExtension(typeof(UserLoopBenchmark).Assembly.Location, ".runtimeconfig.json");
        if (File.Exists(configPath)
            && JsonDocument.Parse(File.ReadAllText(configPath)).RootElement.TryGetProperty("runtimeOptions", out var options)
            && options.TryGetProperty("configProperties", out var properties))
            foreach (var p in properties.EnumerateObject().Where(p => p.Name.StartsWith("System.GC.", StringComparison.Ordinal)))
                runtimeConfig.Add($"{p.Name}={p.Value}");
        return $"GC in effect: GCSettings.IsServerGC {GCSettings.IsServerGC}, GCSettings.LatencyMode {GCSettings.LatencyMode}; " +
            $"AppContext: System.GC.Server {Data("System.GC.Server")}, System.GC.Concurrent {Data("System.GC.Concurrent")}, " +
            $"System.GC.LOHThreshold {Data("System.GC.LOHThreshold")}, GCLOHThreshold {Data("GCLOHThreshold")}; " +
            $"the GC's own view: ServerGC {Effective("ServerGC")}, ConcurrentGC {Effective("ConcurrentGC")}, LOHThreshold {Effective("LOHThreshold")}; " +
            $"runtimeconfig.json GC options: {(runtimeConfig.Count == 0 ? "none" : string.Join(", ", runtimeConfig))}; " +
            $"DOTNET_/COMPlus_ GC environment: {(environment.Count == 0 ? "none" : string.Join(", ", environment))}.";
    }
}
