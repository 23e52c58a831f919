using Nerva.Callbacks;
using Nerva.Data;
using Nerva.Metrics;

namespace Nerva.Models;

// Fit, Evaluate, Predict and the single-batch steps they are made of.
public partial class Model
{
    /// <summary>
    /// Trains on tensors for a number of epochs (Keras's fit).
    /// </summary>
    /// <param name="x">Inputs [samples, ...].</param>
    /// <param name="y">Targets [samples, ...].</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="batchSize">Samples per gradient step.</param>
    /// <param name="validationSplit">Fraction of the data (taken from the end, before shuffling, as Keras) held out for validation.</param>
    /// <param name="validationData">Separate validation inputs and targets (overrides <paramref name="validationSplit"/>).</param>
    /// <param name="shuffle">Visit the training samples in a new order each epoch.</param>
    /// <param name="classWeight">Weight of each class in the loss (for imbalanced classes).</param>
    /// <param name="sampleWeight">Weight of each sample in the loss [samples].</param>
    /// <param name="callbacks">Hooks run during training.</param>
    /// <param name="verbose">0 silent, 1 a progress bar per epoch, 2 one line per epoch.</param>
    /// <param name="seed">Makes the shuffling repeatable.</param>
    public History Fit(Tensor x, Tensor y, int epochs = 1, int batchSize = 32, float validationSplit = 0,
        (Tensor X, Tensor Y)? validationData = null, bool shuffle = true, IReadOnlyDictionary<int, float>? classWeight = null,
        Tensor? sampleWeight = null, IEnumerable<Callback>? callbacks = null, int verbose = 1, int? seed = null)
    {
        CheckSamples(x, y, "Fit");
        if (validationSplit is < 0 or >= 1) throw new ArgumentException($"{Name}.Fit: expected validationSplit in [0, 1), got {validationSplit}.");
        if (validationData is null && validationSplit > 0)
        {
            int total = x.Dims[0], train = total - (int)(total * validationSplit);
            validationData = (x.Narrow(0, train, total - train), y.Narrow(0, train, total - train));
            x = x.Narrow(0, 0, train);
            y = y.Narrow(0, 0, train);
            sampleWeight = sampleWeight?.Narrow(0, 0, train);
        }
        var trainSet = sampleWeight is null ? new TensorDataset(x, y) : new TensorDataset(x, Tensor.Concat([y.Reshape(y.Dims[0], -1), sampleWeight.Reshape(-1, 1)], 1));
        // Fit consumes each batch before asking for the next, so the batch arrays can be reused.
        var loader = new DataLoader(trainSet, batchSize, shuffle, seed: seed, prefetch: false, reuseBuffers: true);
        var validation = validationData is { } v ? new DataLoader(new TensorDataset(v.X, v.Y), batchSize, prefetch: false, reuseBuffers: true) : null;
        return FitLoop(loader, epochs, validation, classWeight, sampleWeight is null ? null : y.Dims, callbacks, verbose);
    }

    /// <summary>Trains on batches from a <see cref="DataLoader"/> (PyTorch-style data, Keras-style loop).</summary>
    public History Fit(DataLoader train, int epochs = 1, DataLoader? validation = null, IReadOnlyDictionary<int, float>? classWeight = null,
        IEnumerable<Callback>? callbacks = null, int verbose = 1) =>
        FitLoop(train, epochs, validation, classWeight, null, callbacks, verbose);

    /// <summary>
    /// The epoch loop. When <paramref name="labelShape"/> is set, each batch's labels carry the
    /// sample weight as an extra last column (a way to shuffle them together), split off here.
    /// </summary>
    private History FitLoop(DataLoader train, int epochs, DataLoader? validation, IReadOnlyDictionary<int, float>? classWeight,
        int[]? labelShape, IEnumerable<Callback>? callbacks, int verbose)
    {
        var hooks = callbacks?.ToList() ?? [];
        if (verbose > 0) hooks.Insert(0, new ProgressLogger(verbose, epochs, train.Count));
        foreach (var hook in hooks) hook.Model = this;
        var history = new History();
        StopTraining = false;
        foreach (var hook in hooks) hook.OnTrainBegin();
        for (int epoch = 0; epoch < epochs && !StopTraining; epoch++)
        {
            foreach (var hook in hooks) hook.OnEpochBegin(epoch);
            var lossMean = new Mean("loss");
            foreach (var metric in metrics) metric.Reset();
            int batch = 0;
            foreach (var (xb, raw) in train)
            {
                var (yb, weights) = labelShape is null ? (raw, (Tensor?)null) : SplitSampleWeight(raw, labelShape);
                weights = CombineClassWeights(yb, weights, classWeight);
                float loss = TrainStep(xb, yb, weights);
                lossMean.Add(loss, xb.Dims[0]);
                var logs = Logs(lossMean.Result(), prefix: "");
                foreach (var hook in hooks) hook.OnBatchEnd(batch++, logs);
            }
            var epochLogs = new Dictionary<string, float>(Logs(lossMean.Result(), prefix: ""));
            if (validation is not null)
                foreach (var (name, value) in EvaluateLoader(validation)) epochLogs["val_" + name] = value;
            history.Add(epoch, epochLogs);
            foreach (var hook in hooks) hook.OnEpochEnd(epoch, epochLogs);
        }
        foreach (var hook in hooks) hook.OnTrainEnd();
        return history;
    }

    /// <summary>One gradient step on one batch; returns the loss (including regularization penalties).</summary>
    private float TrainStep(Tensor x, Tensor y, Tensor? sampleWeight)
    {
        var optimizer = CompiledOptimizer(x);
        var prediction = Forward(x, training: true);
        var loss = Loss!.Call(y, prediction, sampleWeight);
        var penalty = RegularizationLoss();
        if (penalty.RequiresGrad) loss += penalty;
        optimizer.ZeroGrad();
        loss.Backward();
        optimizer.Step();
        UpdateMetrics(y, prediction.Detach(), sampleWeight);
        return loss.Item();
    }

    /// <summary>Runs one training step on one batch and returns the loss and metrics of that batch.</summary>
    public IReadOnlyDictionary<string, float> TrainOnBatch(Tensor x, Tensor y, Tensor? sampleWeight = null)
    {
        CheckSamples(x, y, "TrainOnBatch");
        foreach (var metric in metrics) metric.Reset();
        return Logs(TrainStep(x, y, sampleWeight), prefix: "");
    }

    /// <summary>The loss and metrics on one batch, without training.</summary>
    public IReadOnlyDictionary<string, float> TestOnBatch(Tensor x, Tensor y, Tensor? sampleWeight = null)
    {
        CheckSamples(x, y, "TestOnBatch");
        foreach (var metric in metrics) metric.Reset();
        return Logs(TestStep(x, y, sampleWeight), prefix: "");
    }

    /// <summary>The loss and metrics over data, in inference mode and without recording gradients.</summary>
    public IReadOnlyDictionary<string, float> Evaluate(Tensor x, Tensor y, int batchSize = 32)
    {
        CheckSamples(x, y, "Evaluate");
        return EvaluateLoader(new DataLoader(new TensorDataset(x, y), batchSize, prefetch: false, reuseBuffers: true));
    }

    /// <summary>The loss and metrics over the batches of a loader.</summary>
    public IReadOnlyDictionary<string, float> Evaluate(DataLoader data) => EvaluateLoader(data);

    private IReadOnlyDictionary<string, float> EvaluateLoader(DataLoader data)
    {
        if (Loss is null) throw new InvalidOperationException($"{Name}: call Compile(optimizer, loss, metrics) before evaluating.");
        var lossMean = new Mean("loss");
        foreach (var metric in metrics) metric.Reset();
        foreach (var (xb, yb) in data)
        {
            lossMean.Add(TestStep(xb, yb, null), xb.Dims[0]);
            BufferPool.StepEnded();
        }
        return Logs(lossMean.Result(), prefix: "");
    }

    private float TestStep(Tensor x, Tensor y, Tensor? sampleWeight)
    {
        if (Loss is null) throw new InvalidOperationException($"{Name}: call Compile(optimizer, loss, metrics) before evaluating.");
        using var _ = Autograd.NoGrad();
        var prediction = Forward(x, training: false);
        var loss = Loss.Call(y, prediction, sampleWeight);
        UpdateMetrics(y, prediction, sampleWeight);
        return loss.Item();
    }

    /// <summary>The outputs for inputs [samples, ...], computed in batches in inference mode without recording gradients.</summary>
    public Tensor Predict(Tensor x, int batchSize = 32)
    {
        if (x.Rank == 0) throw ShapeUtil.Error($"{Name}.Predict", "inputs with a batch dimension", "a scalar");
        if (batchSize <= 0) throw new ArgumentException($"{Name}.Predict: expected a positive batch size, got {batchSize}.");
        using var _ = Autograd.NoGrad();
        Tensor? result = null;
        for (int start = 0, samples = x.Dims[0]; start < samples; start += batchSize)
        {
            int count = Math.Min(batchSize, samples - start);
            var output = Forward(x.Narrow(0, start, count), training: false);
            if (output.Rank == 0 || output.Dims[0] != count)
            {
                // Not one row per sample (a scalar, a batch mean): fine for a single batch, meaningless to stack.
                if (count == samples) return new Tensor(output.ToArray(), output.Dims);
                throw ShapeUtil.Error($"{Name}.Predict", $"outputs with {count} rows, one per sample of the batch, to stack across batches",
                    ShapeUtil.Format(output.Dims));
            }
            if (result is null)
            {
                int[] shape = [samples, .. output.Dims[1..]];
                result = new Tensor(BufferPool.Floats(ShapeUtil.SizeOf(shape)), shape);
            }
            output.Data.CopyTo(result.Data.AsSpan(start * (output.Size / output.Dims[0])));
            BufferPool.StepEnded();
        }
        return result ?? Forward(x, training: false).Detach();
    }

    private void UpdateMetrics(Tensor y, Tensor prediction, Tensor? sampleWeight)
    {
        foreach (var metric in metrics) metric.Update(y, prediction, sampleWeight);
    }

    private Dictionary<string, float> Logs(float loss, string prefix)
    {
        var logs = new Dictionary<string, float> { [prefix + "loss"] = loss };
        foreach (var metric in metrics) logs[prefix + metric.Name] = metric.Result();
        return logs;
    }

    private void CheckSamples(Tensor x, Tensor y, string op)
    {
        if (x.Rank == 0 || y.Rank == 0 || x.Dims[0] != y.Dims[0])
            throw ShapeUtil.Error($"{Name}.{op}", "inputs and targets with the same number of samples", $"{ShapeUtil.Format(x.Dims)} and {ShapeUtil.Format(y.Dims)}");
    }

    private static (Tensor Labels, Tensor Weights) SplitSampleWeight(Tensor packed, int[] labelShape)
    {
        int columns = packed.Dims[1];
        var labels = packed.Narrow(1, 0, columns - 1).Reshape([packed.Dims[0], .. labelShape[1..]]);
        return (labels, packed.Narrow(1, columns - 1, 1).Reshape(-1));
    }

    /// <summary>Per-sample weights from class weights (labels as indices, or one-hot rows), times any sample weights.</summary>
    private static Tensor? CombineClassWeights(Tensor y, Tensor? sampleWeight, IReadOnlyDictionary<int, float>? classWeight)
    {
        if (classWeight is null) return sampleWeight;
        var classes = y.Rank >= 2 && y.Dims[^1] > 1 ? y.ArgMax(-1) : y.Reshape(-1);
        var weights = new float[classes.Size];
        for (int i = 0; i < weights.Length; i++)
            weights[i] = classWeight.TryGetValue((int)classes.Data[i], out var w) ? w : 1f;
        var result = Tensor.FromArray(weights, weights.Length);
        return sampleWeight is null ? result : result * sampleWeight;
    }
}
