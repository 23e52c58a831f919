using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using Nerva.Data;
using TorchSharp;

namespace Nerva.Benchmarks;

/// <summary>
/// Peak resident memory of a whole training process. Each figure comes from a fresh process: this
/// benchmark program started again with a hidden workload (rss-readme, rss-cnnfit, rss-torch-mlp,
/// rss-torch-cnn), which loads Fashion-MNIST as its users would, trains one epoch, and prints the
/// kernel's high-water mark of its resident set (VmHWM in /proc/self/status). A process that runs
/// one library never loads the other. rss-nerva-data and rss-torch-data only load the data, for a baseline.
/// </summary>
internal static class PeakRss
{
    public const string ReadmeLoop = "rss-readme", CnnFit = "rss-cnnfit", TorchMlp = "rss-torch-mlp", TorchCnn = "rss-torch-cnn",
        NervaData = "rss-nerva-data", TorchData = "rss-torch-data";

    private const string PeakPrefix = "VmHWM:", SecondsPrefix = "epoch-seconds:";

    /// <summary>What one child process reported: its peak resident set and the seconds its epoch took; or why it failed.</summary>
    public sealed record Run(string Workload, long PeakBytes, double EpochSeconds, string? Error)
    {
        public string Peak => Error is null ? Measure.Bytes(PeakBytes) : "failed";
    }

    public static bool IsChild(string workload) => workload is ReadmeLoop or CnnFit or TorchMlp or TorchCnn or NervaData or TorchData;

    /// <summary>Starts this program again with <paramref name="workload"/> and reads what it prints.</summary>
    public static Run Launch(string workload)
    {
        string host = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Under `dotnet exec` (or `dotnet Nerva.Benchmarks.dll`) the host needs the dll; the apphost `dotnet run` starts does not.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(typeof(PeakRss).Assembly.Location);
        }
        start.ArgumentList.Add(workload);
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {host}");
        var errors = new Queue<string>();
        child.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (errors)
            {
                errors.Enqueue(e.Data);
                if (errors.Count > 5) errors.Dequeue();
            }
        };
        child.BeginErrorReadLine(); // libtorch may warn on every convolution: drain it, keep the last lines
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        long peak = -1;
        double seconds = double.NaN;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith(PeakPrefix))
                peak = 1024 * long.Parse(line[PeakPrefix.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            else if (line.StartsWith(SecondsPrefix))
                seconds = double.Parse(line[SecondsPrefix.Length..].Trim(), CultureInfo.InvariantCulture);
        }
        string? error = child.ExitCode != 0 || peak < 0
            ? $"exit code {child.ExitCode}: {string.Join(" / ", errors)} {output[Math.Max(0, output.Length - 300)..]}".Trim()
            : null;
        return new Run(workload, peak, seconds, error);
    }

    /// <summary>The child's side: one epoch of <paramref name="workload"/>, then its peak resident set.</summary>
    public static int Child(string workload)
    {
        Console.WriteLine(NativeAllocator.Steady());
        var clock = Stopwatch.StartNew();
        switch (workload)
        {
            case ReadmeLoop:
            {
                var (images, labels) = FashionMnistData.Train;
                var loop = new UserLoopBenchmark.ReadmeLoop(images.Reshape(-1, 784), labels);
                clock.Restart();
                loop.Epoch();
                break;
            }
            case CnnFit:
            {
                var (images, labels) = FashionMnistData.Train;
                var model = MnistCnn.CreateNervaModel();
                clock.Restart();
                model.Fit(images, labels, epochs: 1, batchSize: 64, verbose: 0);
                break;
            }
            case TorchMlp:
            case TorchCnn:
            {
                torch.set_num_threads(Environment.ProcessorCount);
                bool cnn = workload == TorchCnn;
                var (x, y) = TorchFashionMnist(cnn ? [-1, 1, 28, 28] : [-1, 784]);
                var model = cnn ? MnistCnn.CreateTorchModel() : UserLoopBenchmark.TorchMlp();
                var optimizer = torch.optim.Adam(model.parameters(), 1e-3);
                var criterion = torch.nn.CrossEntropyLoss();
                model.train();
                clock.Restart();
                TorchLoop.Epoch(x.shape[0], 64, optimizer, index => criterion.forward(model.forward(x.index_select(0, index)), y.index_select(0, index)));
                break;
            }
            case NervaData: // baselines: the data loaded, nothing trained
                _ = FashionMnistData.Train;
                break;
            case TorchData:
                torch.set_num_threads(Environment.ProcessorCount);
                _ = TorchFashionMnist([-1, 784]);
                break;
            default:
                Console.Error.WriteLine($"unknown child workload {workload}");
                return 2;
        }
        Console.WriteLine($"{SecondsPrefix} {clock.Elapsed.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");
        // The kernel's high-water mark of this process's resident set, e.g. "VmHWM:	  812345 kB".
        Console.WriteLine(File.ReadLines("/proc/self/status").First(l => l.StartsWith(PeakPrefix)));
        return 0;
    }

    /// <summary>
    /// The training set as a TorchSharp user loads it: the IDX bytes straight into a uint8 tensor, then
    /// float in [0, 1] (no managed float copy); random data of the same shape where Fashion-MNIST is missing.
    /// </summary>
    private static (torch.Tensor Images, torch.Tensor Labels) TorchFashionMnist(long[] shape)
    {
        if (FashionMnistData.Synthetic)
            return (torch.rand(shape[0] == -1 ? [60000, .. shape[1..]] : shape), torch.randint(10, [60000]));
        string directory = Datasets.FashionMnistDefaultDirectory;
        var pixels = ReadIdx(Path.Combine(directory, "train-images-idx3-ubyte"), header: 16);
        var classes = ReadIdx(Path.Combine(directory, "train-labels-idx1-ubyte"), header: 8);
        using var raw = torch.tensor(pixels, [classes.Length, 784]);
        using var rawLabels = torch.tensor(classes, [classes.Length]);
        var images = raw.to_type(torch.ScalarType.Float32).div_(255f).reshape(shape);
        return (images, rawLabels.to_type(torch.ScalarType.Int64));
    }

    /// <summary>An IDX file's payload after its header, read from the plain file or its .gz straight into one array of its size.</summary>
    private static byte[] ReadIdx(string path, int header)
    {
        using Stream file = File.Exists(path) ? File.OpenRead(path) : new GZipStream(File.OpenRead(path + ".gz"), CompressionMode.Decompress);
        var head = new byte[header];
        file.ReadExactly(head);
        long size = 1;
        for (int offset = 4; offset < header; offset += 4) // big-endian dimension sizes after the magic number
            size *= System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(head.AsSpan(offset));
        var payload = GC.AllocateUninitializedArray<byte>(checked((int)size));
        file.ReadExactly(payload);
        return payload;
    }
}
