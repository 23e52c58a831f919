using System.Runtime.CompilerServices;
using Nerva.Initializers;
using Nerva.Layers;
using Nerva.Models;

namespace Nerva.Tests.Models;

/// <summary>
/// Fit, Evaluate and Predict lend intermediate arrays from a pool and take them back after each
/// step. The whole test run poisons returned arrays with NaN, so any test whose results depend on
/// a tensor read after its step fails instead of silently reading another step's numbers.
/// </summary>
public class BufferPoolTests
{
    [ModuleInitializer]
    internal static void PoisonReturnedBuffers() => BufferPool.PoisonReturned = true;

    private static (Sequential Model, Tensor X, Tensor Y) Network(bool reuse)
    {
        var model = new Sequential(
            new Conv2D(8, 3, padding: "same", activation: "relu"),
            new BatchNormalization(),
            new MaxPooling2D(2),
            new Dropout(0.25f, seed: 1),
            new Conv2D(16, 3, activation: "relu"),
            new Flatten(),
            new Dense(10));
        model.Compile("adam", new Nerva.Losses.SparseCategoricalCrossentropy(fromLogits: true), "accuracy");
        model.ReuseBuffers = reuse;
        model.Build([16, 16, 3]);
        var x = Tensor.RandomUniform([64, 16, 16, 3], seed: 4);
        var y = Tensor.FromArray(Enumerable.Range(0, 64).Select(i => (float)(i % 10)).ToArray());
        return (model, x, y);
    }

    [Fact]
    public void PooledTrainingMatchesUnpooledTrainingExactly()
    {
        var (pooled, x, y) = Network(reuse: true);
        var (plain, _, _) = Network(reuse: false);
        // The same starting point, whatever other tests draw from the global random state meanwhile.
        plain.SetWeights([.. pooled.Weights]);
        var pooledHistory = pooled.Fit(x, y, epochs: 3, batchSize: 16, verbose: 0, seed: 2);
        var plainHistory = plain.Fit(x, y, epochs: 3, batchSize: 16, verbose: 0, seed: 2);
        Assert.Equal(plainHistory["loss"], pooledHistory["loss"]);
        for (int i = 0; i < plain.Weights.Count; i++)
            Assert.Equal(plain.Weights[i].ToArray(), pooled.Weights[i].ToArray());
        Assert.Equal(plain.Predict(x, 10).ToArray(), pooled.Predict(x, 10).ToArray());
        Assert.Equal(plain.Evaluate(x, y, 16)["loss"], pooled.Evaluate(x, y, 16)["loss"]);
        Assert.All(pooled.Predict(x, 10).ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void PooledTrainingMatchesUnpooledWithEveryImageLayer()
    {
        // Each op here takes its output from the pool with undefined contents; any element it
        // failed to write would differ between the two runs (or be NaN from the poisoning).
        Sequential Build(bool reuse)
        {
            var model = new Sequential(
                new RandomTranslation(0.1f, 0.1f, seed: 1), new RandomRotation(0.05f, seed: 2), new RandomZoom(0.1f, seed: 3),
                new ZeroPadding2D(1), new Conv2D(8, 3, activation: "relu"),
                new DepthwiseConv2D(3, padding: "same", depthMultiplier: 2), new SeparableConv2D(16, 3, padding: "same", activation: "relu"),
                new Conv2DTranspose(6, 3, strides: 2, padding: "same"), new AveragePooling2D(2), new MaxPooling2D(2, padding: "same"),
                new Conv2D(16, 3, padding: "same"), new GlobalAveragePooling2D(), new Dense(10));
            model.Compile("adam", new Nerva.Losses.SparseCategoricalCrossentropy(fromLogits: true));
            model.ReuseBuffers = reuse;
            model.Build([12, 12, 3]);
            return model;
        }
        var pooled = Build(reuse: true);
        var plain = Build(reuse: false);
        plain.SetWeights([.. pooled.Weights]);
        var x = Tensor.RandomUniform([40, 12, 12, 3], seed: 5);
        var y = Tensor.FromArray(Enumerable.Range(0, 40).Select(i => (float)(i % 10)).ToArray());
        Assert.Equal(plain.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0, seed: 1)["loss"], pooled.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0, seed: 1)["loss"]);
        for (int i = 0; i < plain.Weights.Count; i++)
            Assert.Equal(plain.Weights[i].ToArray(), pooled.Weights[i].ToArray());
        Assert.Equal(plain.Predict(x, 16).ToArray(), pooled.Predict(x, 16).ToArray());
    }

    [Fact]
    public void PooledTrainingMatchesUnpooledWithEveryRecurrentLayer()
    {
        // Batch 40 in steps of 16 leaves a short last batch; each op's shares of the batch write pooled arrays.
        Sequential Build(bool reuse)
        {
            var model = new Sequential(
                new LSTM(20, returnSequences: true), new GRU(18, returnSequences: true, goBackwards: true),
                new SimpleRNN(17, "relu", returnSequences: true), new GRU(9, resetAfter: false, returnSequences: true),
                new LSTM(12, goBackwards: true), new Dense(10));
            model.Compile("adam", new Nerva.Losses.SparseCategoricalCrossentropy(fromLogits: true));
            model.ReuseBuffers = reuse;
            model.Build([7, 5]);
            return model;
        }
        var pooled = Build(reuse: true);
        var plain = Build(reuse: false);
        plain.SetWeights([.. pooled.Weights]);
        var x = Tensor.RandomNormal([40, 7, 5], seed: 5);
        var y = Tensor.FromArray(Enumerable.Range(0, 40).Select(i => (float)(i % 10)).ToArray());
        Assert.Equal(plain.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0, seed: 1)["loss"], pooled.Fit(x, y, epochs: 2, batchSize: 16, verbose: 0, seed: 1)["loss"]);
        for (int i = 0; i < plain.Weights.Count; i++)
            Assert.Equal(plain.Weights[i].ToArray(), pooled.Weights[i].ToArray());
        Assert.Equal(plain.Predict(x, 16).ToArray(), pooled.Predict(x, 16).ToArray());
        Assert.All(pooled.Predict(x, 16).ToArray(), v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void PredictFromSeveralThreadsAtOnceGivesTheSingleThreadResult()
    {
        // Only one step holds a model's pool; the others run unpooled rather than share it.
        var (model, x, _) = Network(reuse: true);
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
    public void SteadyStateTrainingAllocatesNoLargeArrays()
    {
        var (model, x, y) = Network(reuse: true);
        var xb = x.Narrow(0, 0, 32);
        var yb = y.Narrow(0, 0, 32);
        model.TrainOnBatch(xb, yb);
        model.TrainOnBatch(xb, yb);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) model.TrainOnBatch(xb, yb);
        double perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 10.0;
        // Unpooled, this step allocates ~1.3 MB (activations and gradients); what remains is small bookkeeping.
        Assert.True(perStep < 200_000, $"allocated {perStep:F0} bytes per step");
    }

    [Fact]
    public void TurningReuseOffLetsThePooledArraysGo()
    {
        var (model, x, y) = Network(reuse: true);
        model.Fit(x, y, epochs: 1, batchSize: 16, verbose: 0);
        var pool = PoolOf(model);
        Assert.True(pool.IsAlive);
        model.ReuseBuffers = false;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(pool.IsAlive);
        model.Fit(x, y, epochs: 1, batchSize: 16, verbose: 0); // still trains, unpooled
    }

    // Not inlined, so no temporary in the test's own frame keeps the pool reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference PoolOf(Model model) =>
        new(typeof(Model).GetField("stepBuffers", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(model));

    [Fact]
    public void PredictResultOutlivesItsSteps()
    {
        var (model, x, _) = Network(reuse: true);
        var first = model.Predict(x, 16);
        var copy = first.ToArray();
        model.Predict(x.Narrow(0, 0, 16) * 2f, 16); // reuses the step buffers
        Assert.Equal(copy, first.ToArray());
    }
}
