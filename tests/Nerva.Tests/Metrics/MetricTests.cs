using Nerva.Losses;
using Nerva.Metrics;

namespace Nerva.Tests.Metrics;

/// <summary>Metric names, Keras's "accuracy" resolution, Reset, Mean, and error paths.</summary>
public class MetricTests
{
    [Fact]
    public void AccuracyFollowsTheLossAsKerasDoes()
    {
        Assert.IsType<BinaryAccuracy>(MetricRegistry.Get("accuracy", new BinaryCrossentropy()));
        Assert.IsType<CategoricalAccuracy>(MetricRegistry.Get("accuracy", new CategoricalCrossentropy(fromLogits: true)));
        Assert.IsType<SparseCategoricalAccuracy>(MetricRegistry.Get("acc", new SparseCategoricalCrossentropy()));
        Assert.Equal("accuracy", MetricRegistry.Get("accuracy", new SparseCategoricalCrossentropy()).Name);
        Assert.Equal("acc", MetricRegistry.Get("acc", new BinaryCrossentropy()).Name);
    }

    [Fact]
    public void AccuracyWithoutAFittingLossDecidesByShape()
    {
        var binary = MetricRegistry.Get("accuracy", new MeanSquaredError());
        binary.Update(Tensor.FromArray([1, 0, 1, 0], 4, 1), Tensor.FromArray([0.9f, 0.2f, 0.4f, 0.7f], 4, 1));
        Assert.Equal(0.5f, binary.Result());

        var sparse = MetricRegistry.Get("accuracy");
        sparse.Update(Tensor.FromArray([2, 0], 2), Tensor.FromArray([0.1f, 0.2f, 0.7f, 0.3f, 0.6f, 0.1f], 2, 3));
        Assert.Equal(0.5f, sparse.Result());

        var oneHot = MetricRegistry.Get("accuracy");
        oneHot.Update(Tensor.FromArray([0, 0, 1, 1, 0, 0], 2, 3), Tensor.FromArray([0.1f, 0.2f, 0.7f, 0.8f, 0.1f, 0.1f], 2, 3));
        Assert.Equal(1f, oneHot.Result());
    }

    public static TheoryData<string, Type> Names() => new()
    {
        { "binary_accuracy", typeof(BinaryAccuracy) }, { "categorical_accuracy", typeof(CategoricalAccuracy) },
        { "sparse_categorical_accuracy", typeof(SparseCategoricalAccuracy) }, { "precision", typeof(Precision) },
        { "recall", typeof(Recall) }, { "f1", typeof(F1Score) }, { "f1_score", typeof(F1Score) }, { "auc", typeof(Auc) },
        { "mae", typeof(MeanAbsoluteErrorMetric) }, { "mean_absolute_error", typeof(MeanAbsoluteErrorMetric) },
        { "mse", typeof(MeanSquaredErrorMetric) }, { "mean_squared_error", typeof(MeanSquaredErrorMetric) },
        { "rmse", typeof(RootMeanSquaredError) }, { "root_mean_squared_error", typeof(RootMeanSquaredError) },
        { "r2", typeof(R2Score) }, { "r2_score", typeof(R2Score) },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void NamesResolveAndNameTheMetric(string name, Type type)
    {
        var metric = MetricRegistry.Get(name);
        Assert.IsType(type, metric);
        Assert.Equal(name, metric.Name);
    }

    [Fact]
    public void UnknownNameListsTheKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => MetricRegistry.Get("top_k"));
        Assert.Contains("top_k", error.Message);
        Assert.Contains("accuracy", error.Message);
        Assert.Contains("r2", error.Message);
        Assert.Throws<ArgumentException>(() => new Precision("micro"));
    }

    [Fact]
    public void ResetForgetsEverything()
    {
        Metric[] metrics = [new BinaryAccuracy(), new Precision(), new Recall(), new F1Score(), new Auc(), new MeanAbsoluteErrorMetric(),
                            new MeanSquaredErrorMetric(), new RootMeanSquaredError(), new R2Score(), new Mean()];
        var y = Tensor.FromArray([1, 0, 1, 1], 4);
        var p = Tensor.FromArray([0.8f, 0.3f, 0.2f, 0.9f], 4);
        foreach (var metric in metrics)
        {
            metric.Update(y, p);
            float first = metric.Result();
            metric.Update(Tensor.FromArray([0, 1], 2), Tensor.FromArray([0.9f, 0.1f], 2)); // changes every metric
            Assert.NotEqual(first, metric.Result());
            metric.Reset();
            Assert.Equal(0f, metric.Result());
            metric.Update(y, p);
            Assert.Equal(first, metric.Result());
        }
    }

    [Fact]
    public void MeanAveragesValuesWithWeights()
    {
        var mean = new Mean("loss");
        mean.Add(2f, 3f);
        mean.Add(4f);
        Assert.Equal(2.5f, mean.Result());
        mean.Add(Tensor.FromArray([10, 20], 2), Tensor.FromArray([1, 0], 2));
        Assert.Equal(4f, mean.Result());
        Assert.Equal("loss", mean.Name);
        mean.Reset();
        Assert.Equal(0f, mean.Result());
    }

    [Fact]
    public void BadShapesAndLabelsNameTheMetric()
    {
        var sparse = new SparseCategoricalAccuracy();
        var error = Assert.Throws<ArgumentException>(() => sparse.Update(Tensor.Zeros(3), Tensor.Zeros(4, 2)));
        Assert.Contains("sparse_categorical_accuracy", error.Message);
        Assert.Contains("[4, 2]", error.Message);
        Assert.Throws<ArgumentException>(() => new CategoricalAccuracy().Update(Tensor.Zeros(4, 3), Tensor.Zeros(4, 2)));
        Assert.Throws<ArgumentException>(() => new BinaryAccuracy().Update(Tensor.Zeros(4, 3), Tensor.Zeros(4, 2)));
        Assert.Throws<ArgumentException>(() => new MeanSquaredErrorMetric().Update(Tensor.Zeros(4, 6), Tensor.Zeros(4, 2, 3)));
        Assert.Throws<ArgumentException>(() => new R2Score().Update(Tensor.Zeros(3), Tensor.Zeros(4)));
        Assert.Throws<ArgumentException>(() => new Auc().Update(Tensor.Zeros(4), Tensor.Zeros(4, 3)));
        Assert.Throws<ArgumentException>(() => new Auc().Update(Tensor.FromArray([0, 2], 2), Tensor.Zeros(2)));
        // Binary precision needs 0/1 classes; macro takes any.
        Assert.Throws<ArgumentException>(() => new Precision().Update(Tensor.FromArray([0, 2], 2), Tensor.FromArray([0, 1], 2)));
        new Precision("macro").Update(Tensor.FromArray([0, 2], 2), Tensor.FromArray([0, 1], 2));
        // One weight per sample.
        var weights = Assert.Throws<ArgumentException>(() => new BinaryAccuracy().Update(Tensor.Zeros(4), Tensor.Zeros(4), Tensor.Ones(3)));
        Assert.Contains("[3]", weights.Message);
        Assert.Throws<ArgumentException>(() => new Precision().Update(Tensor.Zeros(4), Tensor.Zeros(4), Tensor.Ones(5)));
    }

    [Fact]
    public void ConfusionMatrixChecksItsInputs()
    {
        var matrix = ConfusionMatrix.Compute(Tensor.FromArray([0, 2, 1, 2], 4), Tensor.FromArray([0, 2, 2, 1], 4));
        Assert.Equal(new[,] { { 1, 0, 0 }, { 0, 0, 1 }, { 0, 1, 1 } }, matrix);
        // Probabilities [n] are thresholded at 0.5.
        Assert.Equal(new[,] { { 1, 1 }, { 0, 2 } }, ConfusionMatrix.Compute(Tensor.FromArray([0, 0, 1, 1], 4), Tensor.FromArray([0.2f, 0.6f, 0.7f, 0.9f], 4)));
        Assert.Equal(5, ConfusionMatrix.Compute(Tensor.FromArray([0, 1], 2), Tensor.FromArray([0, 1], 2), numClasses: 5).GetLength(0));
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute(Tensor.FromArray([0, 3], 2), Tensor.FromArray([0, 1], 2), numClasses: 3));
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute(Tensor.FromArray([0, 1, 1], 3), Tensor.FromArray([0, 1], 2)));
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.Compute(Tensor.FromArray([-1, 1], 2), Tensor.FromArray([0, 1], 2)));
        Assert.Throws<ArgumentException>(() => ClassificationReport.Build(Tensor.FromArray([0, 1], 2), Tensor.FromArray([0, 1], 2), ["only one"]));
    }

    [Fact]
    public void MetricsNeverRecordGradients()
    {
        var p = Tensor.FromArray([0.2f, 0.9f], 2, 1).RequiresGrad_();
        var y = Tensor.FromArray([0, 1], 2, 1);
        foreach (var metric in new Metric[] { new BinaryAccuracy(), new MeanSquaredErrorMetric(), new MeanAbsoluteErrorMetric(), new Auc(), new R2Score() })
            metric.Update(y, p);
        Assert.Null(p.Grad);
    }
}
