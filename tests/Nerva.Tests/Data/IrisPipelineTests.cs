using Nerva.Data;
using Nerva.Data.Preprocessing;
using Nerva.Data.Selection;

namespace Nerva.Tests.Data;

/// <summary>The classic Keras/scikit-learn Iris pipeline, end to end, in the few lines a user writes.</summary>
public class IrisPipelineTests
{
    [Fact]
    public void LoadScaleSplitAndBatch()
    {
        var (x, y) = Datasets.LoadIris();
        var (xTrain, xTest, yTrain, yTest) = TrainTestSplit.Split(x, y, testSize: 0.2, seed: 42, stratify: y);
        var scaler = new StandardScaler();
        xTrain = scaler.FitTransform(xTrain);
        xTest = scaler.Transform(xTest);
        var batches = new DataLoader(new TensorDataset(xTrain, yTrain), batchSize: 16, shuffle: true, seed: 1);

        Assert.Equal([120, 4], xTrain.Shape);
        Assert.Equal([30, 4], xTest.Shape);
        for (int c = 0; c < 3; c++) Assert.Equal(10f, yTest.Eq(c).Sum().Item()); // stratified: 10 of each class
        Assert.All(xTrain.Mean(0).ToArray(), m => Assert.InRange(m, -1e-5f, 1e-5f));
        Assert.All(xTrain.Std(0, unbiased: false).ToArray(), s => Assert.InRange(s, 1 - 1e-4f, 1 + 1e-4f));
        Assert.Equal(8, batches.Count);
        Assert.Equal(120, batches.Sum(b => b.Labels.Size));
    }
}
