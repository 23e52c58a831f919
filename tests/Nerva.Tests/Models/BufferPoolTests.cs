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
    public void PredictResultOutlivesItsSteps()
    {
        var (model, x, _) = Network(reuse: true);
        var first = model.Predict(x, 16);
        var copy = first.ToArray();
        model.Predict(x.Narrow(0, 0, 16) * 2f, 16); // reuses the step buffers
        Assert.Equal(copy, first.ToArray());
    }
}
