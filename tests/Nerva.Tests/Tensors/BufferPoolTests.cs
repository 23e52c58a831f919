using System.Runtime.CompilerServices;
using Nerva.Data;
using Nerva.Layers;
using Nerva.Losses;
using Nerva.Models;
using Nerva.Optimizers;

namespace Nerva.Tests.Tensors;

/// <summary>
/// Every large array comes from the process-wide pool and goes back when its owning tensor is
/// unreachable. The whole test run poisons reclaimed arrays with NaN, so a test whose results depend on
/// an array read after it was reclaimed fails instead of silently reading another op's numbers. The
/// comparisons below train with a sweep at every request (each one a collection that takes back every
/// unreachable tensor's array at once) against plain allocation, and must agree to the bit.
/// </summary>
public class BufferPoolTests
{
    [ModuleInitializer]
    internal static void PoisonReclaimedBuffers() => BufferPool.PoisonReturned = true;

    /// <summary>Runs <paramref name="body"/> on this thread with a sweep at every request, or unpooled.</summary>
    private static T Run<T>(bool stressed, Func<T> body)
    {
        BufferPool.SweepAtEveryRequest = stressed;
        BufferPool.Unpooled = !stressed;
        try { return body(); }
        finally { BufferPool.SweepAtEveryRequest = BufferPool.Unpooled = false; }
    }

    private static Tensor Labels(int n) => Tensor.FromArray(Enumerable.Range(0, n).Select(i => (float)(i % 10)).ToArray());

    private static void AssertSameTraining(Func<Model> build, Tensor x, Tensor y, int batchSize)
    {
        var stressed = build();
        var plain = build();
        plain.SetWeights([.. stressed.Weights]);
        long errors = BufferPool.LifetimeErrors;
        var plainLoss = Run(false, () => plain.Fit(x, y, epochs: 2, batchSize: batchSize, verbose: 0, seed: 1)["loss"]);
        var stressedLoss = Run(true, () => stressed.Fit(x, y, epochs: 2, batchSize: batchSize, verbose: 0, seed: 1)["loss"]);
        Assert.Equal(plainLoss, stressedLoss);
        for (int i = 0; i < plain.Weights.Count; i++)
            Assert.Equal(plain.Weights[i].ToArray(), stressed.Weights[i].ToArray());
        var expected = Run(false, () => plain.Predict(x, batchSize).ToArray());
        Assert.Equal(expected, Run(true, () => stressed.Predict(x, batchSize).ToArray()));
        Assert.All(expected, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(errors, BufferPool.LifetimeErrors);
    }

    [Fact]
    public void TrainingWithASweepAtEveryRequestMatchesUnpooledTraining()
    {
        Model Build()
        {
            var model = new Sequential(
                new Conv2D(8, 3, padding: "same", activation: "relu"), new BatchNormalization(), new MaxPooling2D(2),
                new Dropout(0.25f, seed: 1), new Conv2D(16, 3, activation: "relu"), new Flatten(), new Dense(10));
            model.Compile("adam", new SparseCategoricalCrossentropy(fromLogits: true), "accuracy");
            model.Build([16, 16, 3]);
            return model;
        }
        AssertSameTraining(Build, Tensor.RandomUniform([48, 16, 16, 3], seed: 4), Labels(48), 16);
    }

    [Fact]
    public void EveryImageLayerWithASweepAtEveryRequestMatchesUnpooled()
    {
        // Each op takes its output from the pool with undefined contents; an element it failed to write
        // would differ between the two runs (or be NaN from the poisoning).
        Model Build()
        {
            var model = new Sequential(
                new RandomTranslation(0.1f, 0.1f, seed: 1), new RandomRotation(0.05f, seed: 2), new RandomZoom(0.1f, seed: 3),
                new ZeroPadding2D(1), new Conv2D(8, 3, activation: "relu"),
                new DepthwiseConv2D(3, padding: "same", depthMultiplier: 2), new SeparableConv2D(16, 3, padding: "same", activation: "relu"),
                new Conv2DTranspose(6, 3, strides: 2, padding: "same"), new AveragePooling2D(2), new MaxPooling2D(2, padding: "same"),
                new Conv2D(16, 3, padding: "same"), new GlobalAveragePooling2D(), new Dense(10));
            model.Compile("adam", new SparseCategoricalCrossentropy(fromLogits: true));
            model.Build([12, 12, 3]);
            return model;
        }
        AssertSameTraining(Build, Tensor.RandomUniform([40, 12, 12, 3], seed: 5), Labels(40), 16);
    }

    [Fact]
    public void EveryRecurrentLayerWithASweepAtEveryRequestMatchesUnpooled()
    {
        // Batch 40 in steps of 16 leaves a short last batch; the saved states of each op are scratch
        // arrays that only the op's backward reads.
        Model Build()
        {
            var model = new Sequential(
                new LSTM(20, returnSequences: true), new GRU(18, returnSequences: true, goBackwards: true),
                new SimpleRNN(17, "relu", returnSequences: true), new GRU(9, resetAfter: false, returnSequences: true),
                new LSTM(12, goBackwards: true), new Dense(10));
            model.Compile("adam", new SparseCategoricalCrossentropy(fromLogits: true));
            model.Build([7, 40]);
            return model;
        }
        AssertSameTraining(Build, Tensor.RandomNormal([40, 7, 40], seed: 5), Labels(40), 16);
    }

    private sealed class Net : Layer
    {
        private readonly Dense fc1 = new(128, inputDim: 64), fc2 = new(64, inputDim: 128), fc3 = new(10, inputDim: 64);
        public override Tensor Forward(Tensor x, bool training = false) => fc3.Forward(fc2.Forward(fc1.Forward(x).Relu()).Relu());
    }

    [Fact]
    public void AUserLoopWithASweepAtEveryRequestMatchesUnpooled()
    {
        // The README's PyTorch-style loop, with the loader preparing batches on its own thread.
        var x = Tensor.RandomUniform([200, 64], seed: 1);
        var y = Labels(200);
        float[][] Train(bool stressed) => Run(stressed, () =>
        {
            var net = new Net();
            for (int i = 0; i < net.Parameters.Count; i++) net.Parameters[i].Data.AsSpan().Clear();
            var optimizer = new Adam(net.Parameters, learningRate: 1e-2f);
            var criterion = new SparseCategoricalCrossentropy(fromLogits: true);
            // Same start for both runs, whatever else draws from the global random state meanwhile.
            for (int i = 0; i < net.Parameters.Count; i++)
                using (Autograd.NoGrad()) net.Parameters[i].Add_(Tensor.RandomUniform(net.Parameters[i].Shape, -0.1f, 0.1f, seed: i));
            for (int epoch = 0; epoch < 3; epoch++)
                foreach (var (images, labels) in new DataLoader(new TensorDataset(x, y), batchSize: 64, shuffle: true, seed: epoch, prefetch: true))
                {
                    optimizer.ZeroGrad();
                    criterion.Call(labels, net.Forward(images, training: true)).Backward();
                    optimizer.Step();
                }
            return net.Parameters.Select(p => p.ToArray()).ToArray();
        });
        long errors = BufferPool.LifetimeErrors;
        Assert.Equal(Train(stressed: false), Train(stressed: true));
        Assert.Equal(errors, BufferPool.LifetimeErrors);
    }

    [Fact]
    public void AReachableTensorIsNeverOverwritten()
    {
        var a = Tensor.RandomUniform([300, 100], seed: 1);
        var b = Tensor.RandomUniform([300, 100], seed: 2);
        var kept = a + b;
        var view = (a * b).Reshape(100, 300);           // only the view is held: it keeps its owner alive
        var detached = (a - b).Detach();
        float[][] expected = [kept.ToArray(), view.ToArray(), detached.ToArray()];
        long sweeps = BufferPool.Sweeps;
        Run(true, () =>
        {
            for (int i = 0; i < 20; i++) _ = ((a + b) * 3f - b).Relu().Exp();
            return 0;
        });
        Assert.True(BufferPool.Sweeps > sweeps);
        Assert.Equal(expected, [kept.ToArray(), view.ToArray(), detached.ToArray()]);
    }

    [Fact]
    public void ArraysOfUnreachableTensorsAreReused()
    {
        var a = Tensor.RandomUniform([1 << 20], seed: 1);
        var b = Tensor.RandomUniform([1 << 20], seed: 2);
        for (int i = 0; i < 50; i++) _ = a + b; // warm-up: the pool grows to its working size
        long before = BufferPool.AllocatedBytes;
        for (int i = 0; i < 200; i++) _ = (a + b).Relu();
        // 200 × 2 × 4 MiB = 1.6 GB requested; other tests running meanwhile may add a little.
        Assert.True(BufferPool.AllocatedBytes - before < 400L << 20, $"{(BufferPool.AllocatedBytes - before) >> 20} MiB allocated");
    }

    /// <summary>Alone, so that the process's memory is this test's.</summary>
    [Collection(GlobalRandomStateCollection.Name)]
    public sealed class Alone
    {
        [Fact]
        public void PredictOnManyBatchSizesKeepsMemoryBounded()
        {
            var model = new Sequential(new Dense(256, "relu"), new Dense(256, "relu"), new Dense(10));
            model.Build(64);
            var x = Tensor.RandomUniform([600, 64], seed: 1);
            for (int size = 1; size <= 60; size++) model.Predict(x.Narrow(0, 0, 10 * size), batchSize: 10 * size);
            long before = GC.GetTotalMemory(forceFullCollection: true);
            for (int size = 61; size <= 600; size += 3) model.Predict(x, batchSize: size);
            var (_, free) = BufferPool.Held();
            Assert.True(free <= BufferPool.FreeLimit, $"{free >> 20} MiB free in the pool, more than {BufferPool.FreeLimit >> 20} MiB");
            long after = GC.GetTotalMemory(forceFullCollection: true);
            Assert.True(after - before < 100L << 20, $"{(after - before) >> 20} MiB more after 180 batch sizes");
        }
    }

    [Fact]
    public void SteadyStateTrainingAllocatesNoLargeArrays()
    {
        var model = new Sequential(new Conv2D(8, 3, padding: "same", activation: "relu"), new MaxPooling2D(2), new Flatten(), new Dense(10));
        model.Compile("adam", new SparseCategoricalCrossentropy(fromLogits: true));
        var x = Tensor.RandomUniform([32, 16, 16, 3], seed: 4);
        var y = Labels(32);
        // Warm-up: the pool grows until sweeps find the first steps' arrays unreachable.
        long sweeps = BufferPool.Sweeps;
        for (int i = 0; i < 100 || i < 1000 && BufferPool.Sweeps < sweeps + 5; i++) model.TrainOnBatch(x, y);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 20; i++) model.TrainOnBatch(x, y);
        double perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 20.0;
        // Unpooled, this step allocates ~0.6 MB (activations and gradients); what remains is small bookkeeping.
        Assert.True(perStep < 100_000, $"allocated {perStep:F0} bytes per step");
    }

    [Fact]
    public void PredictFromSeveralThreadsAtOnceGivesTheSingleThreadResult()
    {
        var model = new Sequential(new Conv2D(8, 3, activation: "relu"), new MaxPooling2D(2), new Flatten(), new Dense(10));
        model.Build([16, 16, 3]);
        var x = Tensor.RandomUniform([64, 16, 16, 3], seed: 4);
        var expected = model.Predict(x, 4).ToArray();
        using var start = new Barrier(4);
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            return Enumerable.Range(0, 10).Select(_ => model.Predict(x, 4).ToArray()).ToList();
        }, TaskCreationOptions.LongRunning)).ToArray();
        foreach (var result in workers.SelectMany(w => w.Result)) Assert.Equal(expected, result);
    }

    [Fact]
    public void PredictOfAnOutputWithoutOneRowPerSample()
    {
        var inputs = new Input(3);
        var mean = new Lambda(t => t.Mean(0, keepDim: true)).Apply(new Dense(2).Apply(inputs));
        var model = new Model(inputs, mean);
        var x = Tensor.RandomUniform([10, 3], seed: 1);
        Assert.Equal([1, 2], model.Predict(x, batchSize: 32).Shape); // one batch: returned as computed
        var error = Assert.Throws<ArgumentException>(() => model.Predict(x, batchSize: 4));
        Assert.Contains("Predict", error.Message);
    }

    [Fact]
    public void ScratchArraysReturnedByAnOpAreLentAgain()
    {
        var first = BufferPool.Floats(BufferPool.MinLength + 17);
        BufferPool.Return(first);
        var second = BufferPool.Floats(BufferPool.MinLength + 17);
        Assert.Same(first, second);
        BufferPool.Return(second);
    }
}
